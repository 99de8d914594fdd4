package io.exactlyonce.deploy.demo;

import io.exactlyonce.deploy.kit.FailOnceMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs the README's demo end to end at a small size: its own Kafka broker process, generated
 * orders with duplicates and malformed records, an injected task failure, the embedded Flink, and
 * the reconciliation, which must report zero missing and zero duplicated.
 */
class DemoITCase {

    @TempDir Path tmp;

    @Test
    void demoReconcilesExactlyOnceThroughAnInjectedFailure() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            exit = DemoRunner.run(
                    new String[] {
                        "--records", "4000",
                        "--fail-after-records", "1500",
                        "--checkpoint-interval-ms", "500",
                        "--data-dir", tmp.toString(),
                        "--web-ui-port", "0"
                    },
                    out);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(output).containsPattern("distinct order ids\\s+4,000");
        assertThat(output).containsPattern("rows in the table\\s+4,000");
        assertThat(output).containsPattern("missing\\s+0\\n");
        assertThat(output).containsPattern("duplicated\\s+0\\n");
        assertThat(output).contains("EXACTLY ONCE");
        assertThat(FailOnceMapper.hasFailed()).as("the failure was injected").isTrue();
        assertThat(exit).isZero();
    }

    @Test
    void aBadFailureInjectionOptionFailsAtStartNamingIt() {
        assertThatThrownBy(() -> DemoRunner.run(
                        new String[] {"--fail-after-records", "many", "--data-dir", tmp.toString()}, System.out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'--fail-after-records'")
                .hasMessageContaining("'many'");
        assertThat(tmp).as("nothing started").isEmptyDirectory();
    }
}
