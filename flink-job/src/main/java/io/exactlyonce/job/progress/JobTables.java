package io.exactlyonce.job.progress;

import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.SourceProgress;
import io.exactlyonce.delta.sink.core.TableProgress;

import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's Delta tables with the progress id each one's sink records its source position under,
 * and the reading of those positions: what a start without Flink state resumes from.
 */
public final class JobTables implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One table: its path and its sink's progress id. */
    public static final class Table implements Serializable {
        private static final long serialVersionUID = 1L;
        public final String path;
        public final String progressId;

        public Table(String path, String progressId) {
            this.path = path;
            this.progressId = progressId;
        }

        @Override
        public String toString() {
            return path;
        }
    }

    private final List<Table> tables;
    private final HashMap<String, String> tableConf;

    public JobTables(List<Table> tables) {
        this(tables, Map.of());
    }

    /** {@code tableConf}: the Hadoop / Kernel settings to read the tables with ({@code --table-conf}). */
    public JobTables(List<Table> tables, Map<String, String> tableConf) {
        this.tables = List.copyOf(tables);
        this.tableConf = new HashMap<>(tableConf);
    }

    public List<Table> tables() {
        return tables;
    }

    /** Each table's recorded progress (empty for a table that does not exist or records none). */
    public Map<Table, SourceProgress> read() {
        Engine engine = KernelEngines.create(tableConf);
        Map<Table, SourceProgress> result = new LinkedHashMap<>();
        for (Table table : tables) {
            result.put(table, read(engine, table));
        }
        return result;
    }

    static SourceProgress read(Engine engine, Table table) {
        try {
            return TableProgress.read(TableManager.loadSnapshot(table.path).build(engine), table.progressId)
                    .orElse(SourceProgress.empty());
        } catch (TableNotFoundException e) {
            return SourceProgress.empty();
        }
    }
}
