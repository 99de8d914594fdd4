package io.exactlyonce.job.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Compares offsets the job is about to read from with what the partitions hold now (log start
 * offset, high watermark), with a short-lived Kafka {@link Admin} client. Called when splits are
 * restored or assigned and when the consumer reports an out-of-range offset — never per record.
 *
 * <p>It catches: records deleted before they were read (position below the log start), and a topic
 * deleted and recreated with fewer records than the restored position (position past the end). It
 * cannot catch a recreated topic that already holds at least as many records as the restored
 * position: offsets alone do not tell the two topics apart (the Kafka topic id would, but Flink's
 * split state does not keep it; recording it in the Delta table is planned). A broker that cannot be
 * reached makes the check fail with an ordinary, retried error.
 */
public final class KafkaOffsetRangeCheck implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long TIMEOUT_SECONDS = 30;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Set<String> ADMIN_KEYS = AdminClientConfig.configNames();

    private final Properties adminProperties = new Properties();

    /** {@code clientProperties}: the consumer's properties; the ones an admin client knows are kept. */
    public KafkaOffsetRangeCheck(Properties clientProperties) {
        clientProperties.forEach(
                (k, v) -> {
                    if (ADMIN_KEYS.contains(k.toString())) {
                        adminProperties.put(k, v);
                    }
                });
        // an unreachable broker fails the check (and the attempt) instead of blocking the task
        adminProperties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT_SECONDS * 1000));
    }

    /** The partitions among {@code positions} whose position is outside what the partition holds. */
    public List<OffsetGap> gaps(Map<TopicPartition, Long> positions) {
        List<OffsetGap> gaps = new ArrayList<>();
        if (positions.isEmpty()) {
            return gaps;
        }
        Admin admin = Admin.create(adminProperties);
        try {
            Map<TopicPartition, ListOffsetsResultInfo> start =
                    admin.listOffsets(specs(positions, OffsetSpec.earliest())).all()
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> end =
                    admin.listOffsets(
                                    specs(positions, OffsetSpec.latest()),
                                    new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                            .all()
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            positions.forEach(
                    (tp, position) -> {
                        long logStart = start.get(tp).offset();
                        long logEnd = end.get(tp).offset();
                        if (position < logStart || position > logEnd) {
                            gaps.add(new OffsetGap(tp, position, logStart, logEnd));
                        }
                    });
            return gaps;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking Kafka offsets " + positions, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Could not read the offset range of " + positions.keySet() + " from Kafka (the job"
                            + " checks restored offsets before reading; it retries with its restart strategy)",
                    e);
        } finally {
            admin.close(CLOSE_TIMEOUT);
        }
    }

    private static Map<TopicPartition, OffsetSpec> specs(Map<TopicPartition, Long> positions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        positions.keySet().forEach(tp -> specs.put(tp, spec));
        return specs;
    }
}
