package io.exactlyonce.delta.sink.core;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A stream of batches into Parquet files of one partition directory, written by Kernel's Parquet
 * handler on a background thread while the caller keeps producing rows.
 *
 * <p>Kernel's writer pulls batches from an iterator and rolls to a new uniquely named file
 * ({@code <uuid>-NNN.parquet}) whenever the current one reaches the target size; the iterator here
 * is fed through a small bounded queue, so memory stays at a few batches per open partition and
 * Parquet encoding overlaps with parsing. {@link #finish()} ends the input and returns the files
 * with their statistics, ready for staging.
 *
 * <p>Failures: an error on the Parquet thread (file system full, permission denied) is rethrown to
 * the producing thread at its next {@link #write} or at {@link #finish()}, so the task fails and
 * restores. {@link #abort()} stops the thread; a file it was in the middle of writing is left as an
 * unreferenced orphan (Delta {@code VACUUM} removes it).
 */
public final class ParquetFileStream {

    private static final Object END = new Object();
    private static final Object ABORT = new Object();
    private static final long POLL_MS = 100;

    private final BlockingQueue<Object> queue;
    private final Future<List<StagedFile>> result;
    private volatile Throwable failure;
    private boolean finished;

    public ParquetFileStream(
            Engine engine,
            Row transactionState,
            Map<String, Literal> partitionLiterals,
            Map<String, String> partitionText,
            StructType dataSchema,
            int queueCapacity,
            ExecutorService executor) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.result =
                executor.submit(
                        () -> {
                            try {
                                return writeAll(
                                        engine,
                                        transactionState,
                                        partitionLiterals,
                                        partitionText,
                                        dataSchema);
                            } catch (Throwable t) {
                                failure = t;
                                throw t;
                            }
                        });
    }

    private List<StagedFile> writeAll(
            Engine engine,
            Row txnState,
            Map<String, Literal> partitionLiterals,
            Map<String, String> partitionText,
            StructType dataSchema)
            throws Exception {
        DataWriteContext context = Transaction.getWriteContext(engine, txnState, partitionLiterals);
        List<StagedFile> files = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> physical =
                        Transaction.transformLogicalData(
                                engine, txnState, new QueueIterator(), partitionLiterals);
                CloseableIterator<DataFileStatus> written =
                        engine.getParquetHandler()
                                .writeParquetFiles(
                                        context.getTargetDirectory(),
                                        physical,
                                        context.getStatisticsColumns())) {
            while (written.hasNext()) {
                files.add(toStagedFile(written.next(), partitionText, dataSchema));
            }
        }
        return files;
    }

    private static StagedFile toStagedFile(
            DataFileStatus status, Map<String, String> partitionText, StructType dataSchema) {
        Optional<DataFileStatistics> stats = status.getStatistics();
        return new StagedFile(
                status.getPath(),
                status.getSize(),
                status.getModificationTime(),
                partitionText,
                stats.map(DataFileStatistics::getNumRecords).orElse(0L),
                stats.map(s -> ExactStatistics.keepExact(s, dataSchema)).orElse(null));
    }

    /** Queues a full batch for writing; blocks while the Parquet thread is behind. */
    public void write(ColumnarBatch batch) throws Exception {
        offer(new FilteredColumnarBatch(batch, Optional.empty()));
    }

    /** Ends the input, waits for the last file to be closed and returns all files written. */
    public List<StagedFile> finish() throws Exception {
        finished = true;
        offer(END);
        try {
            return result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw rethrowable(e.getCause());
        }
    }

    /** Stops writing without waiting; a partly written file stays behind as an orphan. */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        queue.clear();
        queue.offer(ABORT);
        result.cancel(true);
    }

    private void offer(Object item) throws Exception {
        while (!queue.offer(item, POLL_MS, TimeUnit.MILLISECONDS)) {
            checkFailure();
        }
        checkFailure();
    }

    private void checkFailure() throws Exception {
        Throwable t = failure;
        if (t != null) {
            throw rethrowable(t);
        }
    }

    private static Exception rethrowable(Throwable t) {
        if (t instanceof Exception) {
            return (Exception) t;
        }
        return new RuntimeException("Parquet writer thread failed", t);
    }

    /** The Parquet thread's view of the queue: blocks until the producer adds a batch or ends. */
    private final class QueueIterator implements CloseableIterator<FilteredColumnarBatch> {
        private Object next;

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("Parquet write aborted");
                }
            }
            if (next == ABORT) {
                throw new CancellationException("Parquet write aborted");
            }
            return next != END;
        }

        @Override
        public FilteredColumnarBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            FilteredColumnarBatch batch = (FilteredColumnarBatch) next;
            next = null;
            return batch;
        }

        @Override
        public void close() {}
    }
}
