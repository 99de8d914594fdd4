package io.exactlyonce.tools.savepoint;

import io.exactlyonce.tools.JobUids;
import io.exactlyonce.tools.ToolInputException;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
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
 * transactions and the Kafka splits. Each read is one small bounded Flink job.
 *
 * <p>Keyed state is read through RocksDB by default, which restores both backends' savepoints and
 * RocksDB's incremental checkpoints and keeps the keys off the heap; {@code hashmap} reads a
 * hashmap job's savepoint or checkpoint into the heap.
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

    /** The dedup state summarised: totals, up to {@code sample} keys, and the looked-up key if present. */
    public List<DedupEntry> dedup(String lookupKey, int sample) throws Exception {
        OperatorState state = operator(uids.dedup()).orElse(null);
        if (state == null) {
            return List.of();
        }
        StreamExecutionEnvironment env = env();
        KeyedStateInputFormat<String, ?, DedupEntry> format =
                new KeyedStateInputFormat<>(
                        state, backend(), MutableConfig.of(env.getConfiguration()),
                        new DedupStateReaderOperator(lookupKey), env.getConfig());
        DataStream<DedupEntry> entries = SourceBuilder.fromFormat(env, format, Types.POJO(DedupEntry.class));
        return collect(entries
                .transform("dedup summary", Types.POJO(DedupEntry.class), new DedupSummaryOperator(sample))
                .setParallelism(1)
                .setMaxParallelism(1));
    }

    /** The transactions of every Delta committer of the job that the savepoint holds. */
    public List<PendingTransaction> committers() throws Exception {
        StreamExecutionEnvironment env = env();
        SavepointReader reader = SavepointReader.read(env, path, backend());
        DataStream<PendingTransaction> all = null;
        for (String sink : JobUids.SINKS) {
            String uid = uids.committer(sink);
            if (operator(uid).isEmpty()) {
                continue;
            }
            DataStream<PendingTransaction> one = CommitterStateReader.read(reader, uid);
            all = all == null ? one : all.union(one);
        }
        return all == null ? List.of() : collect(all);
    }

    /** The Kafka source's splits with their offsets. */
    public List<KafkaSplit> kafkaSplits() throws Exception {
        if (operator(uids.kafkaSource()).isEmpty()) {
            return List.of();
        }
        StreamExecutionEnvironment env = env();
        return collect(KafkaSplitReader.read(SavepointReader.read(env, path, backend()), uids.kafkaSource()));
    }

    private StateBackend backend() {
        return rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    private static StreamExecutionEnvironment env() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(new Configuration());
        env.setParallelism(Math.min(2, Runtime.getRuntime().availableProcessors()));
        env.getConfig().enableObjectReuse();
        return env;
    }

    private static <T> List<T> collect(DataStream<T> stream) throws Exception {
        List<T> out = new ArrayList<>();
        try (CloseableIterator<T> it = stream.executeAndCollect("state-tools read")) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
