package io.exactlyonce.delta.sink.testutil;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once assertion: a table's key column compared to the exact expected key set, with
 * count, distinct count, missing and extra keys (and which keys occur more than once) in the
 * failure message.
 */
public final class KeySetAssert {

    private KeySetAssert() {}

    public static <K extends Comparable<K>> void assertExactlyOnce(
            Collection<K> actualKeys, Set<K> expectedKeys) {
        Map<K, Integer> counts = new HashMap<>();
        for (K k : actualKeys) {
            counts.merge(k, 1, Integer::sum);
        }
        Set<K> missing = new TreeSet<>(expectedKeys);
        missing.removeAll(counts.keySet());
        Set<K> extra = new TreeSet<>(counts.keySet());
        extra.removeAll(expectedKeys);
        List<K> duplicated = new ArrayList<>();
        counts.forEach((k, c) -> {
            if (c > 1) {
                duplicated.add(k);
            }
        });
        String report =
                String.format(
                        "rows=%d distinct=%d expected=%d missing=%d %s extra=%d %s duplicated=%d %s",
                        actualKeys.size(),
                        counts.size(),
                        expectedKeys.size(),
                        missing.size(),
                        head(missing),
                        extra.size(),
                        head(extra),
                        duplicated.size(),
                        head(new TreeSet<>(duplicated)));
        assertThat(missing).as(report).isEmpty();
        assertThat(extra).as(report).isEmpty();
        assertThat(duplicated).as(report).isEmpty();
        assertThat(actualKeys).as(report).hasSize(expectedKeys.size());
        assertThat(new HashSet<>(actualKeys)).as(report).hasSize(expectedKeys.size());
    }

    private static String head(Set<?> keys) {
        return keys.stream().limit(10).map(String::valueOf).reduce((a, b) -> a + "," + b)
                .map(s -> "[" + s + (keys.size() > 10 ? ",..." : "") + "]")
                .orElse("[]");
    }
}
