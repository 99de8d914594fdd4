package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.RowType;

/**
 * Builds the {@link DeltaCommitter} of a sink configuration for the Flink adapters, after creating
 * or verifying the table (a table whose schema no longer matches fails here, before anything is
 * committed).
 */
@Internal
final class Committers {

    private Committers() {}

    /** With an engine of its own, built from the sink's Hadoop settings. */
    static DeltaCommitter open(DeltaSinkConfig config, RowType rowType, CommitRetryPolicy retryPolicy) {
        return open(KernelEngines.create(config.hadoopConf()), config, rowType, retryPolicy);
    }

    static DeltaCommitter open(
            Engine engine, DeltaSinkConfig config, RowType rowType, CommitRetryPolicy retryPolicy) {
        StructType schema = DeltaSchemaConverter.toDeltaSchema(rowType);
        DeltaTableBootstrap.ensureTable(engine, config, schema);
        return new DeltaCommitter(
                engine,
                config.tablePath(),
                schema,
                config.partitionColumns(),
                retryPolicy,
                config.progressId());
    }
}
