package io.exactlyonce.deploy.kit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) run as a child JVM,
 * owned by the demo, the benchmark harness or a test: loopback listeners on free ports, its own data
 * directory, log output to a file in that directory. The child runs on this JVM's class path, which
 * must hold the broker ({@code kafka_2.13}). Stopped by {@link #close()} and by a shutdown hook
 * (Ctrl-C); {@link #restart()} restarts it on the same ports and data.
 */
public final class KafkaBroker implements AutoCloseable {

    private Process process;
    private final String bootstrapServers;
    private final Path dataDir;
    private final Thread shutdownHook;

    private KafkaBroker(Process process, String bootstrapServers, Path dataDir) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.shutdownHook = new Thread(this::stopProcess, "kafka-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Formats the data directory, starts the broker and waits until it answers. */
    public static KafkaBroker start(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        int port = freePort();
        int controllerPort = freePort();
        Path logs = dataDir.resolve("kafka-logs");
        Path config = dataDir.resolve("server.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                        "controller.listener.names=CONTROLLER",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "inter.broker.listener.name=PLAINTEXT",
                        "log.dirs=" + logs.toAbsolutePath(),
                        "num.partitions=3",
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "message.max.bytes=4194304",
                        ""));
        if (!Files.exists(logs.resolve("meta.properties"))) {
            run(List.of("kafka.tools.StorageTool", "format", "-t", UUID.randomUUID().toString(),
                    "-c", config.toString(), "--ignore-formatted"), dataDir.resolve("format.log"));
        }
        Process process =
                javaProcess(List.of("kafka.Kafka", config.toString()), dataDir.resolve("broker.log")).start();
        KafkaBroker broker = new KafkaBroker(process, "127.0.0.1:" + port, dataDir);
        broker.awaitReady(READY_TIMEOUT);
        return broker;
    }

    /** Stops the broker and starts it again on the same ports and data (a broker restart). */
    public void restart() throws Exception {
        stopProcess();
        process =
                javaProcess(
                                List.of("kafka.Kafka", dataDir.resolve("server.properties").toString()),
                                dataDir.resolve("broker.log"))
                        .start();
        awaitReady(READY_TIMEOUT);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            }
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"));
    }

    /**
     * How long a starting broker may take to answer. A broker that fails exits, which is seen at once;
     * one that is alive but slow (a JVM starting on a loaded machine took over 60 s) is waited for.
     */
    static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
                        + "; see broker.log in the data directory");
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(500);
            }
        }
        close();
        throw new IllegalStateException("Kafka broker did not become ready within " + timeout, last);
    }

    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
    }

    private void stopProcess() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void run(List<String> mainAndArgs, Path log) throws Exception {
        Process p = javaProcess(mainAndArgs, log).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(mainAndArgs.get(0) + " failed; see " + log);
        }
    }

    private static ProcessBuilder javaProcess(List<String> mainAndArgs, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
