package io.exactlyonce.deploy.cluster;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FlinkRest}, the command line of {@code deploy/flink-rest.sh}: bad usage exits 2
 * with the reason and the usage, an unreachable cluster exits 1 with the connection failure, and
 * nothing but results goes to stdout.
 */
class FlinkRestTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return FlinkRest.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badUsageExitsTwoWithTheReason() {
        assertThat(run("resume")).isEqualTo(2);
        assertThat(err()).contains("Unknown command 'resume'").contains("Usage: deploy/flink-rest.sh");
        assertThat(run("status", "not-a-job-id")).isEqualTo(2);
        assertThat(err()).contains("Expected one job id");
        assertThat(run("submit", "/no/such.jar", "--", "--topics", "orders")).isEqualTo(2);
        assertThat(err()).contains("No jar at '/no/such.jar'");
        assertThat(run("await", "0123456789abcdef0123456789abcdef", "--checkpoints", "0")).isEqualTo(2);
        assertThat(err()).contains("'--checkpoints' must be a positive whole number");
        assertThat(out.size()).isZero();
    }

    @Test
    void anUnreachableClusterExitsOneNamingTheCommand() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertThat(run("--url", "http://127.0.0.1:" + port, "stop", "0123456789abcdef0123456789abcdef")).isEqualTo(1);
        assertThat(err()).startsWith("stop failed: ");
        assertThat(out.size()).isZero();
    }
}
