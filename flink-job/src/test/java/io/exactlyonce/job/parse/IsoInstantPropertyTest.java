package io.exactlyonce.job.parse;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: {@link IsoInstant} accepts exactly the texts {@link Instant#parse} accepts, with the
 * same value, and takes its fast path for every valid canonical text. Texts are generated near the
 * canonical form: every field from below to above its range (day 29–31 of every month, leap and
 * century years, hour 24, second 60), fractions of 0–10 digits, upper- and lower-case letters,
 * offsets, and single-character mutations (a digit replaced, a separator moved, a character
 * dropped or added) of valid texts.
 */
class IsoInstantPropertyTest {

    @Property(tries = 4000, seed = "20261127")
    void agreesWithJavaOnNearValidTexts(@ForAll("nearValid") String text) {
        char[] chars = ("xx" + text + "yy").toCharArray();
        Object ours = outcome(() -> IsoInstant.parse(chars, 2, text.length()));
        Object java = outcome(() -> Instant.parse(text));
        assertThat(ours).as("'%s'", text).isEqualTo(java);
    }

    @Property(tries = 2000, seed = "20261127")
    void takesTheFastPathForEveryValidCanonicalText(@ForAll("canonical") String text) {
        Instant fast = IsoInstant.tryCanonical(text.toCharArray(), 0, text.length());
        assertThat(fast).as("'%s'", text).isNotNull().isEqualTo(Instant.parse(text));
    }

    @Provide
    Arbitrary<String> canonical() {
        Arbitrary<String> date =
                Combinators.combine(Arbitraries.integers().between(0, 9999), Arbitraries.integers().between(1, 12),
                                Arbitraries.integers().between(1, 31))
                        .filter((y, m, d) -> d <= java.time.YearMonth.of(y, m).lengthOfMonth())
                        .as((y, m, d) -> String.format("%04d-%02d-%02d", y, m, d));
        Arbitrary<String> time =
                Combinators.combine(Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 59),
                                Arbitraries.integers().between(0, 59))
                        .as((h, m, s) -> String.format("%02d:%02d:%02d", h, m, s));
        Arbitrary<String> fraction =
                Arbitraries.integers().between(0, 9)
                        .flatMap(n -> n == 0 ? Arbitraries.just("") : Arbitraries.strings().numeric().ofLength(n).map(f -> "." + f));
        return Combinators.combine(date, time, fraction).as((d, t, f) -> d + "T" + t + f + "Z");
    }

    @Provide
    Arbitrary<String> nearValid() {
        Arbitrary<String> year = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 9999).map(y -> String.format("%04d", y)),
                Arbitraries.of("0000", "1900", "2000", "2100", "2024", "2023", "9999", "+10000", "-0001", "999", "12345"));
        Arbitrary<String> twoDigits = Arbitraries.integers().between(0, 99).map(v -> String.format("%02d", v));
        Arbitrary<String> month = Arbitraries.oneOf(twoDigits, Arbitraries.of("00", "01", "02", "12", "13", "1"));
        Arbitrary<String> day = Arbitraries.oneOf(twoDigits, Arbitraries.of("00", "28", "29", "30", "31", "32", "9"));
        Arbitrary<String> hour = Arbitraries.oneOf(twoDigits, Arbitraries.of("00", "23", "24"));
        Arbitrary<String> minute = Arbitraries.oneOf(twoDigits, Arbitraries.of("00", "59", "60"));
        Arbitrary<String> second = Arbitraries.oneOf(twoDigits, Arbitraries.of("00", "59", "60"));
        Arbitrary<String> fraction = Arbitraries.integers().between(0, 10)
                .flatMap(n -> Arbitraries.strings().numeric().ofLength(n).map(f -> "." + f))
                .injectNull(0.4).map(f -> f == null ? "" : f);
        Arbitrary<String> zone = Arbitraries.of("Z", "Z", "Z", "z", "+00:00", "+02:00", "-05:30", "+18:00", "+19:00", "", "ZZ");
        Arbitrary<String> t = Arbitraries.of("T", "T", "T", "t", " ");
        Arbitrary<String> whole =
                Combinators.combine(List.of(year, month, day, t, hour, minute, second, fraction, zone))
                        .as(p -> p.get(0) + "-" + p.get(1) + "-" + p.get(2) + p.get(3) + p.get(4) + ":" + p.get(5) + ":"
                                + p.get(6) + p.get(7) + p.get(8));
        return Arbitraries.oneOf(whole, canonical(), mutated(canonical()));
    }

    /** A valid text with one character replaced, dropped or added. */
    private static Arbitrary<String> mutated(Arbitrary<String> texts) {
        Arbitrary<Character> chars = Arbitraries.of('0', '9', '-', ':', 'T', 'Z', '.', '+', ' ', 'a', '/', '٣');
        return Combinators.combine(texts, Arbitraries.integers().between(0, 1000), chars, Arbitraries.integers().between(0, 2))
                .as((text, at, c, kind) -> {
                    int i = at % text.length();
                    switch (kind) {
                        case 0:
                            return text.substring(0, i) + c + text.substring(i + 1);
                        case 1:
                            return text.substring(0, i) + text.substring(i + 1);
                        default:
                            return text.substring(0, i) + c + text.substring(i);
                    }
                });
    }

    private static Object outcome(java.util.function.Supplier<Instant> parse) {
        try {
            return parse.get();
        } catch (DateTimeParseException e) {
            return "refused";
        }
    }
}
