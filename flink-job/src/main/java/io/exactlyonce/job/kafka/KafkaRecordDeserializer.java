package io.exactlyonce.job.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Hands every Kafka record to the job as a {@link KafkaRecord}, without interpreting the value:
 * parsing happens in the next operator, where a bad value becomes a dead letter instead of failing
 * the source. Null values (tombstones) are passed on too, so they are counted as dead letters rather
 * than dropped.
 */
public final class KafkaRecordDeserializer implements KafkaRecordDeserializationSchema<KafkaRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecord> out) {
        out.collect(
                new KafkaRecord(
                        record.value(),
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp()));
    }

    @Override
    public TypeInformation<KafkaRecord> getProducedType() {
        return TypeInformation.of(KafkaRecord.class);
    }
}
