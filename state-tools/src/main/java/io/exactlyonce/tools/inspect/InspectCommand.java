package io.exactlyonce.tools.inspect;

import io.exactlyonce.tools.JobUids;
import io.exactlyonce.tools.ToolEnvironment;
import io.exactlyonce.tools.TableOptions;
import io.exactlyonce.tools.savepoint.DedupEntry;
import io.exactlyonce.tools.savepoint.KafkaSplit;
import io.exactlyonce.tools.savepoint.PendingTransaction;
import io.exactlyonce.tools.savepoint.SavepointContents;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.apache.flink.runtime.checkpoint.OperatorState;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code inspect <savepoint-or-retained-checkpoint>}: the job's operators by uid, the dedup state
 * (keys, expiry timers, a sample, one key looked up), each Delta committer's appId, last committed
 * checkpoint (when its table is given) and pending transactions, and the Kafka splits with their
 * offsets. Text, or JSON with {@code --json}. Reads only; bad input exits 2 (see {@link
 * SavepointContents}).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show what a savepoint or retained checkpoint of the orders job holds.")
public final class InspectCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<savepoint>", description = "savepoint or retained checkpoint directory")
    String savepoint;

    @Option(names = "--uid-prefix", defaultValue = "orders", description = "the job's --uid-prefix (default: ${DEFAULT-VALUE})")
    String uidPrefix;

    @Option(names = "--key", description = "an order_id to look up in the dedup state")
    String key;

    @Option(names = "--sample", defaultValue = "10", description = "dedup keys to show (default: ${DEFAULT-VALUE})")
    int sample;

    @Option(names = "--dedup-ttl-days", defaultValue = "7", description = "the job's --dedup-ttl-days, for expiry = first seen + TTL (default: ${DEFAULT-VALUE})")
    long ttlDays;

    @Option(names = "--table-path", description = "the orders table, for its committer's last committed checkpoint")
    String tablePath;

    @Option(names = "--dead-letter-path", description = "the dead-letter table")
    String deadLetterPath;

    @Option(names = "--metrics-path", description = "the metrics table")
    String metricsPath;

    @Option(names = "--state-backend", defaultValue = "rocksdb", description = "backend to read keyed state with: rocksdb (any savepoint, keys off-heap) or hashmap (default: ${DEFAULT-VALUE})")
    String stateBackend;

    @Option(names = "--rocksdb-memory", defaultValue = ToolEnvironment.DEFAULT_ROCKSDB_MEMORY,
            description = "off-heap memory of the RocksDB the keyed state is read through, e.g. 256m, 1g (default: ${DEFAULT-VALUE})")
    String rocksDbMemory;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        InspectReport report = inspect();
        if (json) {
            spec.commandLine().getOut().println(
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            report.print(spec.commandLine().getOut());
        }
        return 0;
    }

    InspectReport inspect() throws Exception {
        JobUids uids = new JobUids(uidPrefix);
        SavepointContents contents =
                new SavepointContents(savepoint, "<savepoint>", uids, !"hashmap".equalsIgnoreCase(stateBackend))
                        .withRocksDbMemory(rocksDbMemory);
        SavepointContents.Found found = contents.read(true, key, sample, true);
        return new InspectReport(
                savepoint,
                contents.metadata().getCheckpointId(),
                uidPrefix,
                operators(contents),
                dedup(contents, found.dedup()),
                committers(found.transactions()),
                splits(found.splits()));
    }

    private static List<InspectReport.Operator> operators(SavepointContents contents) {
        Map<org.apache.flink.runtime.jobgraph.OperatorID, String> known = contents.uids().byOperatorId();
        List<InspectReport.Operator> operators = new ArrayList<>();
        for (OperatorState state : contents.metadata().getOperatorStates()) {
            operators.add(new InspectReport.Operator(
                    known.get(state.getOperatorID()), state.getOperatorID().toHexString(), state.getParallelism(),
                    state.getMaxParallelism(), state.getStateSize()));
        }
        operators.sort(Comparator.comparing((InspectReport.Operator o) -> o.uid() == null ? "~" : o.uid()));
        return operators;
    }

    private InspectReport.Dedup dedup(SavepointContents contents, List<DedupEntry> entries) {
        if (contents.operator(contents.uids().dedup()).isEmpty()) {
            return null;
        }
        long ttl = Duration.ofDays(ttlDays).toMillis();
        long keys = 0;
        long timers = 0;
        List<InspectReport.Key> sampled = new ArrayList<>();
        InspectReport.Key lookup = key == null ? null : new InspectReport.Key(key, false, null, null, null);
        for (DedupEntry entry : entries) {
            if (entry.kind == DedupEntry.TOTALS) {
                keys = entry.firstSeen;
                timers = entry.timers;
            } else if (entry.lookedUp) {
                lookup = new InspectReport.Key(entry.key, true, entry.firstSeen, entry.firstSeen + ttl, entry.timers);
            } else {
                sampled.add(new InspectReport.Key(entry.key, true, entry.firstSeen, entry.firstSeen + ttl, null));
            }
        }
        return new InspectReport.Dedup(contents.uids().dedup(), keys, timers, ttl, sampled, lookup);
    }

    private List<InspectReport.Committer> committers(List<PendingTransaction> rows) {
        Map<String, List<PendingTransaction>> byUid = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing((PendingTransaction r) -> r.uid).thenComparingLong(r -> r.checkpointId))
                .forEach(r -> byUid.computeIfAbsent(r.uid, u -> new ArrayList<>()).add(r));
        JobUids uids = new JobUids(uidPrefix);
        Map<String, String[]> tables = Map.of(
                uids.committer("orders"), new String[] {tablePath, "--table-path"},
                uids.committer("dead-letters"), new String[] {deadLetterPath, "--dead-letter-path"},
                uids.committer("metrics-table"), new String[] {metricsPath, "--metrics-path"});
        List<InspectReport.Committer> committers = new ArrayList<>();
        byUid.forEach((uid, txns) -> {
            String appId = txns.get(0).appId;
            String[] table = tables.getOrDefault(uid, new String[] {null, null});
            Long last = table[0] == null ? null
                    : TableOptions.lastCommittedCheckpoint(table[0], table[1], appId).orElse(null);
            List<InspectReport.Transaction> transactions = new ArrayList<>();
            for (PendingTransaction t : txns) {
                if (t.checkpointId != PendingTransaction.NONE) {
                    transactions.add(new InspectReport.Transaction(t.checkpointId, t.open, t.files, t.rows, t.bytes));
                }
            }
            committers.add(new InspectReport.Committer(uid, appId, table[0], last, transactions));
        });
        return committers;
    }

    private static List<InspectReport.Split> splits(List<KafkaSplit> splits) {
        List<InspectReport.Split> out = new ArrayList<>();
        splits.stream()
                .sorted(Comparator.comparing((KafkaSplit s) -> s.topic).thenComparingInt(s -> s.partition))
                .forEach(s -> out.add(new InspectReport.Split(
                        s.topic, s.partition, s.offset, s.stoppingOffset == Long.MIN_VALUE ? null : s.stoppingOffset)));
        return out;
    }
}
