package io.exactlyonce.job.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Flink's {@link KafkaSource} with the job's checks at the two moments the connector leaves open:
 * a start without restored state ({@link CommittedStartGuard}, when the enumerator is created rather
 * than restored) and offsets Kafka no longer holds ({@link LostRecordsPolicy}, in every reader). A
 * bounded source restored from state ends like a fresh one ({@link RestoredBoundedEnumerator}).
 * State, serializers and splits are the connector's own, so checkpoints and savepoints taken with
 * the plain {@code KafkaSource} under the same uid restore unchanged.
 */
public final class CheckedKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final KafkaSource<T> kafka;
    private final LostRecordsPolicy lostRecords;
    private final CommittedStartGuard freshStart;

    public CheckedKafkaSource(KafkaSource<T> kafka, LostRecordsPolicy lostRecords, CommittedStartGuard freshStart) {
        this.kafka = kafka;
        this.lostRecords = lostRecords;
        this.freshStart = freshStart;
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context) throws Exception {
        return new GapCheckingKafkaReader<>(kafka.createReader(context), lostRecords);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) throws Exception {
        freshStart.checkFreshStart();
        return kafka.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState checkpoint) throws Exception {
        return RestoredBoundedEnumerator.restore(kafka, context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return kafka.getProducedType();
    }
}
