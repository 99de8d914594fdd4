package io.exactlyonce.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests for {@link OutputCheck}. */
class OutputCheckTest {

    @Test
    void everyExpectedOrderOnceIsExact() {
        OutputCheck check = new OutputCheck("o", 3);
        check.accept("o2");
        check.accept("o0");
        check.accept("o1");
        assertThat(check.exact()).isTrue();
        assertThat(check.rows()).isEqualTo(3);
        assertThat(check.distinct()).isEqualTo(3);
    }

    @Test
    void aDuplicatedRowIsNotExact() {
        OutputCheck check = new OutputCheck("o", 2);
        check.accept("o0");
        check.accept("o1");
        check.accept("o1");
        assertThat(check.exact()).isFalse();
        assertThat(check.duplicates()).isEqualTo(1);
        assertThat(check.missing()).isZero();
    }

    @Test
    void aMissingOrderIsNotExact() {
        OutputCheck check = new OutputCheck("o", 3);
        check.accept("o0");
        check.accept("o2");
        assertThat(check.exact()).isFalse();
        assertThat(check.missing()).isEqualTo(1);
    }

    @Test
    void rowsThatAreNotOrdersOfThisLoadAreUnexpected() {
        OutputCheck check = new OutputCheck("o", 2);
        check.accept("o0");
        check.accept("o1");
        check.accept("o2"); // beyond the load
        check.accept("x1"); // another prefix
        check.accept("o"); // no number
        check.accept("o1a"); // not a number
        check.accept(null);
        assertThat(check.exact()).isFalse();
        assertThat(check.unexpected()).isEqualTo(5);
        assertThat(check.distinct()).isEqualTo(2);
        assertThat(check.toString()).contains("unexpected=5");
    }
}
