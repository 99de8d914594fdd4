package io.exactlyonce.delta.sink.core;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.transaction.CreateTableTransactionBuilder;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Makes sure the target Delta table exists with the expected schema and partitioning, and returns
 * its latest snapshot.
 *
 * <p>A missing table is created (version 0) with the given schema, partition columns and table
 * properties, using only features that every Delta reader supports. Several writers may race to
 * create it: the loser of the race finds the winner's table and verifies it. An existing table whose
 * column names, types, nullability or partition columns differ is refused with a {@link
 * TableSchemaMismatchException} that shows both schemas; nothing is written to it.
 */
public final class DeltaTableBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(DeltaTableBootstrap.class);

    private DeltaTableBootstrap() {}

    /** {@link #ensureTable(Engine, String, StructType, List, Map)} for a sink's configuration. */
    public static Snapshot ensureTable(Engine engine, DeltaSinkConfig config, StructType schema) {
        return ensureTable(
                engine,
                config.tablePath(),
                schema,
                config.partitionColumns(),
                config.tableProperties());
    }

    public static Snapshot ensureTable(
            Engine engine,
            String tablePath,
            StructType schema,
            List<String> partitionColumns,
            Map<String, String> tableProperties) {
        try {
            Snapshot snapshot = TableManager.loadSnapshot(tablePath).build(engine);
            verify(tablePath, snapshot, schema, partitionColumns);
            return snapshot;
        } catch (TableNotFoundException notFound) {
            create(engine, tablePath, schema, partitionColumns, tableProperties);
            Snapshot snapshot = TableManager.loadSnapshot(tablePath).build(engine);
            verify(tablePath, snapshot, schema, partitionColumns);
            return snapshot;
        }
    }

    private static void create(
            Engine engine,
            String tablePath,
            StructType schema,
            List<String> partitionColumns,
            Map<String, String> tableProperties) {
        CreateTableTransactionBuilder builder =
                TableManager.buildCreateTableTransaction(
                        tablePath, schema, KernelEngines.ENGINE_INFO);
        if (!partitionColumns.isEmpty()) {
            builder =
                    builder.withDataLayoutSpec(
                            DataLayoutSpec.partitioned(
                                    partitionColumns.stream()
                                            .map(Column::new)
                                            .collect(Collectors.toList())));
        }
        if (!tableProperties.isEmpty()) {
            builder = builder.withTableProperties(tableProperties);
        }
        try {
            builder.build(engine).commit(engine, CloseableIterable.emptyIterable());
            LOG.info(
                    "Created Delta table {} with schema {} partitioned by {}",
                    tablePath,
                    schema,
                    partitionColumns);
        } catch (TableAlreadyExistsException | ConcurrentWriteException raced) {
            LOG.info("Delta table {} was created concurrently; verifying it", tablePath);
        }
    }

    /** Refuses a table whose schema or partitioning differs from the expected one. */
    public static void verify(
            String tablePath, Snapshot snapshot, StructType expected, List<String> partitionColumns) {
        StructType actual = snapshot.getSchema();
        List<String> actualPartitions = snapshot.getPartitionColumnNames();
        boolean sameSchema = sameColumns(actual, expected);
        boolean samePartitions = actualPartitions.equals(partitionColumns);
        if (sameSchema && samePartitions) {
            return;
        }
        throw new TableSchemaMismatchException(
                "The Delta table at "
                        + tablePath
                        + " (version "
                        + snapshot.getVersion()
                        + ") is not compatible with this sink; nothing was written to it.\n"
                        + "  table schema:        "
                        + describe(actual)
                        + "\n  table partitioned by: "
                        + actualPartitions
                        + "\n  sink schema:         "
                        + describe(expected)
                        + "\n  sink partitioned by:  "
                        + partitionColumns
                        + "\nWrite to a new table path, or change the sink's schema/partition columns"
                        + " to match the table.");
    }

    private static boolean sameColumns(StructType actual, StructType expected) {
        if (actual.length() != expected.length()) {
            return false;
        }
        for (int i = 0; i < actual.length(); i++) {
            StructField a = actual.at(i);
            StructField e = expected.at(i);
            if (!a.getName().equals(e.getName())
                    || !a.getDataType().equals(e.getDataType())
                    || a.isNullable() != e.isNullable()) {
                return false;
            }
        }
        return true;
    }

    static String describe(StructType schema) {
        return schema.fields().stream()
                .map(f -> f.getName() + " " + f.getDataType() + (f.isNullable() ? "" : " NOT NULL"))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
