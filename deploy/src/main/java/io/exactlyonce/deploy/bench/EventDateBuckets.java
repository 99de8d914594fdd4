package io.exactlyonce.deploy.bench;

import io.exactlyonce.job.OrderSchema;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.table.data.RowData;

import java.time.LocalDate;

/**
 * Puts each order row of the FileSink baseline into the directory {@code event_date=<date>}: the
 * same partitioning as the job's orders table, so both sinks keep the same number of open files.
 */
final class EventDateBuckets implements BucketAssigner<RowData, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getBucketId(RowData row, Context context) {
        return "event_date=" + LocalDate.ofEpochDay(row.getInt(OrderSchema.EVENT_DATE));
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
