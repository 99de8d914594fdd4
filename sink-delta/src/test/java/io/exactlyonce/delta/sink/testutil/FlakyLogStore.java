package io.exactlyonce.delta.sink.testutil;

import io.delta.storage.HDFSLogStore;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Delta log store Kernel uses for local and HDFS paths, with injected I/O failures on commit files: the next
 * {@link #failBeforeWrite} writes fail without writing, the next {@link #failAfterWrite} writes land
 * and then report a failure (the "commit outcome unknown" case). Enabled per engine with the
 * Hadoop setting {@code io.delta.kernel.logStore.file.impl}.
 */
public final class FlakyLogStore extends HDFSLogStore {

    public static final String CONF_KEY = "io.delta.kernel.logStore.file.impl";

    public static final AtomicInteger failBeforeWrite = new AtomicInteger();
    public static final AtomicInteger failAfterWrite = new AtomicInteger();
    public static final AtomicInteger failures = new AtomicInteger();

    public FlakyLogStore(Configuration conf) {
        super(conf);
    }

    public static void reset() {
        failBeforeWrite.set(0);
        failAfterWrite.set(0);
        failures.set(0);
    }

    @Override
    public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration conf)
            throws IOException {
        boolean commitFile = path.getName().matches("\\d{20}\\.json");
        if (commitFile && failBeforeWrite.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failures.incrementAndGet();
            throw new IOException("injected failure before writing " + path);
        }
        super.write(path, actions, overwrite, conf);
        if (commitFile && failAfterWrite.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failures.incrementAndGet();
            throw new IOException("injected failure after writing " + path);
        }
    }
}
