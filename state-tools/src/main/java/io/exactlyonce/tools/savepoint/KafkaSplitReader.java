package io.exactlyonce.tools.savepoint;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplitSerializer;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.IOException;

/**
 * Reads the Kafka source's reader state: the operator list state Flink's {@code SourceOperator}
 * keeps its splits in ({@value #STATE_NAME}, byte arrays, each a split written by the source's split
 * serializer with its version in front — {@code SimpleVersionedSerialization}), decoded with the
 * connector's {@link KafkaPartitionSplitSerializer} into {@link KafkaSplit} rows. An unknown split
 * serializer version fails the read with the connector's error.
 */
public final class KafkaSplitReader {

    /** The name of {@code SourceOperator}'s split state ({@code SourceOperator.SPLITS_STATE_DESC}). */
    public static final String STATE_NAME = "SourceReaderState";

    private KafkaSplitReader() {}

    public static DataStream<KafkaSplit> read(SavepointReader savepoint, String uid) throws IOException {
        return savepoint
                .readListState(
                        OperatorIdentifier.forUid(uid),
                        STATE_NAME,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO,
                        BytePrimitiveArraySerializer.INSTANCE)
                .map(new Decode())
                .returns(KafkaSplit.class)
                .name("kafka splits " + uid);
    }

    private static final class Decode implements MapFunction<byte[], KafkaSplit> {
        private static final long serialVersionUID = 1L;

        @Override
        public KafkaSplit map(byte[] bytes) throws IOException {
            KafkaPartitionSplit split =
                    SimpleVersionedSerialization.readVersionAndDeSerialize(new KafkaPartitionSplitSerializer(), bytes);
            KafkaSplit row = new KafkaSplit();
            row.topic = split.getTopic();
            row.partition = split.getPartition();
            row.offset = split.getStartingOffset();
            row.stoppingOffset = split.getStoppingOffset().orElse(Long.MIN_VALUE);
            return row;
        }
    }
}
