package io.exactlyonce.tools.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bootstrap's filter of written keys never calls a written key new (that would skip the state
 * read and let an older first-seen time overwrite a newer one) — over generated keys of every kind
 * (empty, ASCII, any Unicode, long) with repeats, at, under and far over its expected size — and
 * calls few new keys "maybe seen" at its expected size.
 */
class SeenKeysFilterTest {

    @Test
    void neverCallsAWrittenKeyNewWhateverTheKeysAndTheLoad() {
        Random random = new Random(20261127);
        for (long expected : new long[] {0, 1_000, 20_000, 60_000}) {
            SeenKeysFilter filter = new SeenKeysFilter(expected);
            Set<String> written = new HashSet<>();
            for (int i = 0; i < 60_000; i++) {
                String key = random.nextInt(10) == 0 && !written.isEmpty() ? again(random, written) : key(random);
                boolean maybeSeen = filter.addAndCheck(key);
                if (written.contains(key)) {
                    assertThat(maybeSeen).as("key %s written before, expected size %d", key, expected).isTrue();
                }
                written.add(key);
            }
        }
    }

    @Test
    void fewNewKeysAreMaybeSeenAtTheExpectedSize() {
        SeenKeysFilter filter = new SeenKeysFilter(100_000);
        for (int i = 0; i < 100_000; i++) {
            filter.addAndCheck("o-" + i);
        }
        int maybe = 0;
        for (int i = 0; i < 10_000; i++) {
            if (filter.addAndCheck("new-" + i)) {
                maybe++;
            }
        }
        // about 1 % at the design load (the checked keys are added too: 10 % over it at the end)
        assertThat(maybe).as("false 'maybe seen' among 10,000 new keys").isLessThan(250);
        assertThat(filter.sizeInBytes()).isEqualTo(125_000L);
    }

    private static String again(Random random, Set<String> written) {
        int skip = random.nextInt(Math.min(written.size(), 50));
        return written.stream().skip(skip).findFirst().orElseThrow();
    }

    private static String key(Random random) {
        switch (random.nextInt(5)) {
            case 0:
                return "";
            case 1:
                return "o-" + random.nextLong();
            case 2:
                return "x".repeat(random.nextInt(600));
            default:
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(20);
                for (int i = 0; i < length; i++) {
                    int cp = random.nextInt(Character.MAX_CODE_POINT + 1);
                    if (Character.isValidCodePoint(cp) && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                        text.appendCodePoint(cp);
                    }
                }
                return text.toString();
        }
    }
}
