package io.exactlyonce.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.List;

/** Tests for {@link BenchOptions}. */
class BenchOptionsTest {

    @Test
    void defaultsAreTheIssuesBenchmark() {
        BenchOptions options = BenchOptions.parse();
        assertThat(options.records()).isEqualTo(2_000_000);
        assertThat(options.partitions()).isEqualTo(3);
        assertThat(options.duplicates()).isEqualTo(0.10);
        assertThat(options.malformed()).isEqualTo(0.005);
        assertThat(options.parallelisms()).containsExactly(1, 2);
        assertThat(options.variants()).containsExactly(Variant.A, Variant.B, Variant.C, Variant.D);
    }

    @Test
    void listsAreParsed() {
        BenchOptions options = BenchOptions.parse("--parallelism", "2, 1", "--variants", "d,a");
        assertThat(options.parallelisms()).isEqualTo(List.of(2, 1));
        assertThat(options.variants()).containsExactly(Variant.D, Variant.A);
    }

    @Test
    void badOptionsFailNamingTheOption() {
        assertThatThrownBy(() -> BenchOptions.parse("--record", "5"))
                .hasMessageContaining("'--record'").hasMessageContaining("--records 2000000");
        assertThatThrownBy(() -> BenchOptions.parse("--records"))
                .hasMessageContaining("'--records'");
        assertThatThrownBy(() -> BenchOptions.parse("--parallelism", "1,zero"))
                .hasMessageContaining("'--parallelism'");
        assertThatThrownBy(() -> BenchOptions.parse("--variants", "a,e"))
                .hasMessageContaining("'--variants'").hasMessageContaining("'e'");
        assertThatThrownBy(() -> BenchOptions.parse("--duplicates", "1.5"))
                .hasMessageContaining("'--duplicates'");
        assertThatThrownBy(() -> BenchOptions.parse("--heap", "lots"))
                .hasMessageContaining("'--heap'");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario", "fast"))
                .hasMessageContaining("'--scenario'");
        assertThatThrownBy(() -> BenchOptions.parse("--streaming", "yes"))
                .hasMessageContaining("'--streaming'");
    }
}
