package io.exactlyonce.tools;

import io.exactlyonce.tools.savepoint.PendingTransaction;
import io.exactlyonce.tools.savepoint.SavepointContents;
import io.exactlyonce.tools.savepoint.SavepointFiles;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check-restore} against a real savepoint of the job (the golden RocksDB one): the job graph
 * of the same options maps every state; a changed {@code --uid-prefix} does not; a table that holds a
 * later checkpoint of the restored committer is a rewind the sink would refuse (unless {@code
 * --allow-rewind true}); bad job options exit 2. Nothing is created where the options point.
 */
class CheckRestoreITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir Path tmp;

    private List<String> args(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("check-restore", GoldenSavepointsITCase.golden("rocksdb").toString(),
                "--bootstrap-servers", "localhost:9092", "--topics", GoldenSavepointsITCase.TOPIC,
                "--table-path", tmp.resolve("orders").toUri().toString(), "--state-backend", "rocksdb"));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void theSameJobRestoresItsSavepoint() throws Exception {
        Jobs.Result result = Jobs.tool(args().toArray(new String[0]));
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("ok  orders-dedup").contains("ok  orders-kafka-source").contains("RESTORABLE");
        assertThat(tmp.resolve("orders")).as("a dry run creates no table").doesNotExist();
    }

    @Test
    void aChangedUidPrefixDoesNotRestore() throws Exception {
        Jobs.Result result = Jobs.tool(args("--uid-prefix", "orders-v2").toArray(new String[0]));
        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(StateTools.CHECK_FAILED);
        assertThat(result.out()).contains("NOT RESTORABLE").contains("maps to no operator of the job graph");
    }

    @Test
    void aTableAheadOfTheSavepointIsARewindTheSinkWouldRefuse() throws Exception {
        String savepoint = GoldenSavepointsITCase.golden("rocksdb").toString();
        long checkpoint = SavepointFiles.load(savepoint, "savepoint").getCheckpointId();
        String appId = new SavepointContents(savepoint, "savepoint", new JobUids("orders"), true)
                .read(false, null, 0, false).transactions().stream()
                .filter(r -> r.uid.equals("orders-orders-delta-committer")).map(r -> r.appId).findFirst().orElseThrow();
        String table = tmp.resolve("orders").toUri().toString();
        OrdersTableGenerator.write(table, "t", 0, 10, appId, checkpoint + 3);

        Jobs.Result refused = Jobs.tool(args().toArray(new String[0]));
        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(StateTools.CHECK_FAILED);
        assertThat(refused.out()).contains("already holds commits of this sink (appId " + appId + ") up to checkpoint "
                + (checkpoint + 3));

        Jobs.Result accepted = Jobs.tool(args("--allow-rewind", "true").toArray(new String[0]));
        assertThat(accepted.exitCode()).as(accepted.out()).isZero();
        assertThat(accepted.out()).contains("a rewind, accepted by --allow-rewind");

        Jobs.Result inspected = Jobs.tool("inspect", savepoint, "--table-path", table);
        assertThat(inspected.out()).contains("appId " + appId + ", last committed checkpoint " + (checkpoint + 3));
    }

    @Test
    void badJobOptionsExitTwo() throws Exception {
        Jobs.Result result = Jobs.tool("check-restore", GoldenSavepointsITCase.golden("rocksdb").toString(),
                "--topics", "t", "--table-path", tmp.resolve("orders").toString());
        assertThat(result.exitCode()).isEqualTo(StateTools.BAD_INPUT);
        assertThat(result.err()).contains("'--bootstrap-servers'");
        Files.createDirectories(tmp.resolve("empty"));
        assertThat(Jobs.tool("check-restore", tmp.resolve("empty").toString(), "--topics", "t").exitCode())
                .isEqualTo(StateTools.BAD_INPUT);
    }
}
