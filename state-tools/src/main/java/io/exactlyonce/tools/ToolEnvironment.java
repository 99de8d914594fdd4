package io.exactlyonce.tools;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink environment the commands run their State Processor API programs in: an embedded Flink on
 * the command line (the test's cluster in tests), with object reuse, and RocksDB given {@code
 * --rocksdb-memory} of managed memory — its write buffers and block cache. Flink's embedded default
 * (128 MB for all slots) made reading and writing millions of keys slow down as the instance grew.
 */
public final class ToolEnvironment {

    /** The default of the commands' {@code --rocksdb-memory}. */
    public static final String DEFAULT_ROCKSDB_MEMORY = "512m";

    private ToolEnvironment() {}

    public static StreamExecutionEnvironment create(String rocksDbMemory, int parallelism) {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, memory(rocksDbMemory));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.getConfig().enableObjectReuse();
        return env;
    }

    /** Parses {@code --rocksdb-memory}; bad input is a {@link ToolInputException} naming the option. */
    public static MemorySize memory(String text) {
        try {
            MemorySize size = MemorySize.parse(text);
            if (size.getMebiBytes() < 16) {
                throw new ToolInputException("'--rocksdb-memory' " + text + " is too small: give at least 16m, e.g. 512m");
            }
            return size;
        } catch (IllegalArgumentException e) {
            throw new ToolInputException("'--rocksdb-memory' '" + text + "' is not a size: use e.g. 512m or 1g", e);
        }
    }
}
