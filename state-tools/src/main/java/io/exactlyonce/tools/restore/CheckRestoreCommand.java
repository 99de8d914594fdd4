package io.exactlyonce.tools.restore;

import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaCommitterContext;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.RestoreCheck;
import io.exactlyonce.delta.sink.core.TableRewindException;
import io.exactlyonce.job.config.JobConfig;
import io.exactlyonce.tools.JobUids;
import io.exactlyonce.tools.StateTools;
import io.exactlyonce.tools.savepoint.PendingTransaction;
import io.exactlyonce.tools.savepoint.SavepointContents;
import io.exactlyonce.tools.savepoint.SavepointFiles;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;

import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code check-restore <savepoint> <job options…>}: a dry run of restoring the savepoint into the
 * job those options build. It reports, and exits 1 when any fails:
 * <ul>
 *   <li>every operator state of the savepoint maps onto an operator of the graph (by operator id, so
 *       a changed {@code --uid-prefix} or uid shows here): otherwise Flink refuses the restore unless
 *       {@code --allowNonRestoredState}, which drops that state;</li>
 *   <li>the graph's max parallelism, where fixed, equals the savepoint's for each such operator;</li>
 *   <li>each Delta committer's table does not hold a later checkpoint of the restored appId than the
 *       savepoint (a rewind the sink refuses at start, see {@link DeltaCommitter#checkRestore}; the
 *       same check, read-only; accepted with the job's {@code --allow-rewind true}).</li>
 * </ul>
 * Bad input (not a savepoint, bad job options) exits 2. Nothing is written.
 */
@Command(name = "check-restore", mixinStandardHelpOptions = true,
        description = "Dry run: would the job built from these options restore this savepoint?")
public final class CheckRestoreCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<savepoint>", description = "savepoint or retained checkpoint directory")
    String savepoint;

    @Parameters(index = "1..*", paramLabel = "<job options>", description = "the job's options, as given to flink run")
    List<String> jobOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CheckpointMetadata metadata = SavepointFiles.load(savepoint, "<savepoint>");
        JobConfig config = JobConfig.fromArgs(jobOptions.toArray(new String[0]));
        JobGraphOperators graph = JobGraphOperators.of(config);
        List<String> problems = new ArrayList<>();
        out.printf("Savepoint %s (checkpoint %d) against the job graph of --uid-prefix '%s':%n",
                savepoint, metadata.getCheckpointId(), config.uidPrefix());
        checkOperators(metadata, graph, out, problems);
        if (problems.isEmpty()) {
            checkTables(metadata.getCheckpointId(), config, out, problems);
        }
        if (problems.isEmpty()) {
            out.println("RESTORABLE: every state maps onto the job graph and no table is ahead of the savepoint.");
            return 0;
        }
        out.println("NOT RESTORABLE:");
        problems.forEach(p -> out.println("  - " + p));
        return StateTools.CHECK_FAILED;
    }

    private static void checkOperators(
            CheckpointMetadata metadata, JobGraphOperators graph, PrintWriter out, List<String> problems) {
        for (OperatorState state : metadata.getOperatorStates()) {
            if (!SavepointFiles.hasState(state)) {
                continue;
            }
            String id = state.getOperatorID().toHexString();
            if (!graph.contains(state.getOperatorID())) {
                problems.add("state of operator " + id + " (max parallelism " + state.getMaxParallelism()
                        + ") maps to no operator of the job graph: a changed '--uid-prefix' or uid, or another job's"
                        + " savepoint; Flink would refuse the restore (or drop that state with --allowNonRestoredState)");
                continue;
            }
            int max = graph.maxParallelism(state.getOperatorID());
            String uid = graph.uid(state.getOperatorID());
            if (max > 0 && max != state.getMaxParallelism()) {
                problems.add("operator " + uid + " (" + id + ") has max parallelism " + state.getMaxParallelism()
                        + " in the savepoint but " + max + " in the job graph: its keyed state cannot be restored");
            } else {
                out.printf("  ok  %-45s %s%n", uid, id);
            }
        }
    }

    private void checkTables(long checkpointId, JobConfig config, PrintWriter out, List<String> problems)
            throws Exception {
        JobUids uids = new JobUids(config.uidPrefix());
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put(uids.committer("orders"), config.tablePath());
        tables.put(uids.committer("dead-letters"), config.deadLetterPath());
        tables.put(uids.committer("metrics-table"), config.metricsPath());
        Map<String, String> appIds = new LinkedHashMap<>();
        for (PendingTransaction row : new SavepointContents(savepoint, "<savepoint>", uids, true, false)
                .read(false, null, 0, false).transactions()) {
            appIds.put(row.uid, row.appId);
        }
        Engine engine = KernelEngines.create(Map.of());
        for (Map.Entry<String, String> table : tables.entrySet()) {
            String appId = appIds.get(table.getKey());
            if (appId == null) {
                out.printf("  ok  %s: no state in the savepoint, starts with a new appId%n", table.getKey());
                continue;
            }
            Snapshot snapshot;
            try {
                snapshot = TableManager.loadSnapshot(table.getValue()).build(engine);
            } catch (TableNotFoundException e) {
                out.printf("  ok  %s: table %s does not exist yet, the sink creates it%n", table.getKey(), table.getValue());
                continue;
            }
            DeltaCommitter committer = new DeltaCommitter(engine, table.getValue(), snapshot.getSchema(),
                    snapshot.getPartitionColumnNames(), CommitRetryPolicy.defaults());
            try {
                RestoreCheck check = committer.checkRestore(new DeltaCommitterContext(appId), checkpointId, config.allowRewind());
                out.printf("  ok  %s: appId %s, table %s holds checkpoint %s, savepoint %d%s%n", table.getKey(), appId,
                        table.getValue(), check.tableCheckpointId().map(String::valueOf).orElse("none"), checkpointId,
                        check.rewound() ? " (a rewind, accepted by --allow-rewind)" : "");
            } catch (TableRewindException e) {
                problems.add(table.getKey() + ": " + e.getMessage());
            }
        }
    }
}
