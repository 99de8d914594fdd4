package io.exactlyonce.deploy.cluster;

import io.exactlyonce.deploy.kit.KafkaBroker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The local cluster's Kafka broker as a long-running process ({@code deploy/cluster.sh start}): the
 * project's single-node KRaft broker ({@link KafkaBroker}, loopback only) in {@code <dir>}, with the
 * given topics created, and its bootstrap address written to {@code <dir>/bootstrap-servers} once it
 * answers — the file the scripts wait for. A broker that does not answer within the broker's own
 * wait (a loaded machine) is started again, up to three times. Runs until it is terminated (SIGTERM stops the broker;
 * its data stays in {@code <dir>} and the next start reuses it).
 *
 * <pre>ClusterKafka &lt;dir&gt; [topic:partitions …]</pre>
 */
public final class ClusterKafka {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterKafka.class);

    private ClusterKafka() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("Usage: ClusterKafka <data dir> [topic:partitions ...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        Path address = dir.resolve("bootstrap-servers");
        Files.deleteIfExists(address);
        KafkaBroker broker = start(dir);
        for (int i = 1; i < args.length; i++) {
            String[] topic = args[i].split(":");
            broker.createTopic(topic[0], topic.length > 1 ? Integer.parseInt(topic[1]) : 3);
        }
        Path written = dir.resolve("bootstrap-servers.tmp");
        Files.writeString(written, broker.bootstrapServers() + "\n");
        Files.move(written, address, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Kafka broker ready at {} (data in {})", broker.bootstrapServers(), dir);
        new CountDownLatch(1).await();
    }

    /** Starts the broker; on a loaded machine its first start can outlast the broker's own wait, so up to 3 tries. */
    private static KafkaBroker start(Path dir) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return KafkaBroker.start(dir);
            } catch (IllegalStateException notReady) {
                if (attempt == 3) {
                    throw notReady;
                }
                LOG.warn("Kafka broker not ready (attempt {} of 3), starting it again: {}", attempt, notReady.getMessage());
            }
        }
    }
}
