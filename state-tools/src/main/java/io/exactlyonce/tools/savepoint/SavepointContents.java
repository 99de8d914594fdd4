package io.exactlyonce.tools.savepoint;

import io.exactlyonce.tools.JobUids;
import io.exactlyonce.tools.ToolEnvironment;
import io.exactlyonce.tools.ToolInputException;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.input.KeyedStateInputFormat;
import org.apache.flink.state.api.input.SourceBuilder;
import org.apache.flink.state.api.runtime.MutableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The orders job's state in one savepoint or retained checkpoint, read with the State Processor
 * API on an embedded Flink: the operators in its metadata, the dedup keys, the Delta committers'
 * transactions and the Kafka splits, all read by one small bounded Flink job.
 *
 * <p>Keyed state is read through RocksDB by default, which restores both backends' savepoints and
 * RocksDB's incremental checkpoints and keeps the keys off the heap; a retained checkpoint of a
 * hashmap job is not in the canonical format and needs {@code hashmap} (keys on the heap).
 *
 * <p>Failure cases: a path that is not a savepoint, or a savepoint with none of the job's operators
 * under the uid prefix (another job, or another {@code --uid-prefix}), is a {@link
 * ToolInputException} before any job runs.
 */
public final class SavepointContents {

    private final String path;
    private final CheckpointMetadata metadata;
    private final JobUids uids;
    private final boolean rocksDb;
    private String rocksDbMemory = ToolEnvironment.DEFAULT_ROCKSDB_MEMORY;

    /** The savepoint at {@code path} ({@code what} names the argument in messages); it must hold state of the job. */
    public SavepointContents(String path, String what, JobUids uids, boolean rocksDb) {
        this(path, what, uids, rocksDb, true);
    }

    /** As above; with {@code requireThisJob} false, a savepoint without the job's uids is accepted (to report on). */
    public SavepointContents(String path, String what, JobUids uids, boolean rocksDb, boolean requireThisJob) {
        this.path = path;
        this.metadata = SavepointFiles.load(path, what);
        this.uids = uids;
        this.rocksDb = rocksDb;
        boolean anyOfThisJob =
                metadata.getOperatorStates().stream().anyMatch(s -> uids.byOperatorId().containsKey(s.getOperatorID()));
        if (requireThisJob && !anyOfThisJob) {
            throw new ToolInputException(
                    what + " '" + path + "' holds no operator of this job under '--uid-prefix' '" + uids.prefix()
                            + "' (it holds state of operators " + operatorIds() + "): it is another job's savepoint,"
                            + " or pass the job's '--uid-prefix'");
        }
    }

    private List<String> operatorIds() {
        List<String> ids = new ArrayList<>();
        metadata.getOperatorStates().forEach(s -> ids.add(s.getOperatorID().toHexString()));
        return ids;
    }

    public CheckpointMetadata metadata() {
        return metadata;
    }

    public JobUids uids() {
        return uids;
    }

    /** The operator state stored under a uid, if the savepoint has it with any state. */
    public Optional<OperatorState> operator(String uid) {
        OperatorID id = JobUids.operatorId(uid);
        return metadata.getOperatorStates().stream()
                .filter(s -> s.getOperatorID().equals(id) && SavepointFiles.hasState(s))
                .findFirst();
    }

    /** What one read found: dedup entries (see {@link DedupSummaryOperator}), committer transactions, splits. */
    public record Found(List<DedupEntry> dedup, List<PendingTransaction> transactions, List<KafkaSplit> splits) {}

    /**
     * Reads, in one Flink job, the dedup state summarised (when {@code withDedup}: totals, up to
     * {@code sample} keys and the looked-up key), the transactions of every Delta committer of the
     * job that the savepoint holds, and (when {@code withSplits}) the Kafka source's splits.
     */
    /** The managed memory of the RocksDB instance the keyed state is read through ({@code --rocksdb-memory}). */
    public SavepointContents withRocksDbMemory(String memory) {
        this.rocksDbMemory = memory;
        return this;
    }

    public Found read(boolean withDedup, String lookupKey, int sample, boolean withSplits) throws Exception {
        StreamExecutionEnvironment env = env();
        SavepointReader reader = SavepointReader.read(env, path, backend());
        List<DataStream<StateRecord>> streams = new ArrayList<>();
        OperatorState dedup = withDedup ? operator(uids.dedup()).orElse(null) : null;
        if (dedup != null) {
            KeyedStateInputFormat<String, ?, DedupEntry> format =
                    new KeyedStateInputFormat<>(
                            dedup, backend(), MutableConfig.of(env.getConfiguration()),
                            new DedupStateReaderOperator(lookupKey), env.getConfig());
            streams.add(SourceBuilder.fromFormat(env, format, Types.POJO(DedupEntry.class))
                    .transform("dedup summary", Types.POJO(DedupEntry.class), new DedupSummaryOperator(sample))
                    .setParallelism(1)
                    .setMaxParallelism(1)
                    .map((MapFunction<DedupEntry, StateRecord>) StateRecord::of)
                    .returns(StateRecord.class));
        }
        for (String sink : JobUids.SINKS) {
            String uid = uids.committer(sink);
            if (operator(uid).isPresent()) {
                streams.add(CommitterStateReader.read(reader, uid)
                        .map((MapFunction<PendingTransaction, StateRecord>) StateRecord::of)
                        .returns(StateRecord.class));
            }
        }
        if (withSplits && operator(uids.kafkaSource()).isPresent()) {
            streams.add(KafkaSplitReader.read(reader, uids.kafkaSource())
                    .map((MapFunction<KafkaSplit, StateRecord>) StateRecord::of)
                    .returns(StateRecord.class));
        }
        Found found = new Found(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        if (streams.isEmpty()) {
            return found;
        }
        DataStream<StateRecord> all = streams.get(0);
        for (DataStream<StateRecord> more : streams.subList(1, streams.size())) {
            all = all.union(more);
        }
        try (CloseableIterator<StateRecord> it = all.executeAndCollect("state-tools read " + path)) {
            it.forEachRemaining(r -> {
                if (r.dedup != null) {
                    found.dedup().add(r.dedup);
                } else if (r.transaction != null) {
                    found.transactions().add(r.transaction);
                } else {
                    found.splits().add(r.split);
                }
            });
        }
        return found;
    }

    private StateBackend backend() {
        return rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    private StreamExecutionEnvironment env() {
        return ToolEnvironment.create(rocksDbMemory, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }
}
