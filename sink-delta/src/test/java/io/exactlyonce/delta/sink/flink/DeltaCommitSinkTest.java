package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.core.TableRewindException;
import io.exactlyonce.delta.sink.testutil.DeltaLogWriter;
import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.StagedFiles;
import io.exactlyonce.delta.sink.testutil.TestRows;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.StreamSink;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.exactlyonce.delta.sink.testutil.KeySetAssert.assertExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link DeltaCommitSink}: one test per path of the two-phase commit protocol, driven
 * through Flink's operator test harness against a real Delta table in a temp directory.
 */
class DeltaCommitSinkTest {

    @TempDir Path tmp;
    private String table;
    private DeltaTableReader reader;

    @BeforeEach
    void setUp() {
        table = tmp.resolve("table").toUri().toString();
        reader = new DeltaTableReader(table);
    }

    @Test
    void commitsOneCheckpointAsOneDeltaCommit() throws Exception {
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            send(h, StagedFiles.write(table, 100, 250));
            h.snapshot(1, 1);
            assertThat(ids()).as("nothing visible before the checkpoint completes").isEmpty();
            h.notifyOfCompletedCheckpoint(1);
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 250));
        assertThat(reader.version()).as("create + one commit").isEqualTo(1);
        assertThat(reader.txnVersion(reader.appIds().get(0))).contains(1L);
    }

    @Test
    void laterCompletionSubsumesAnEarlierPendingCheckpoint() throws Exception {
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            h.snapshot(1, 1);
            send(h, StagedFiles.write(table, 100, 200));
            h.snapshot(2, 2);
            h.notifyOfCompletedCheckpoint(2);
            // the late notification of the subsumed checkpoint changes nothing
            h.notifyOfCompletedCheckpoint(1);
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 200));
        assertThat(reader.version()).as("one commit per checkpoint").isEqualTo(2);
        assertThat(reader.txnVersion(reader.appIds().get(0))).contains(2L);
    }

    @Test
    void failureAfterPreCommitBeforeNotificationCommitsOnRestore() throws Exception {
        OperatorSubtaskState checkpoint1;
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            checkpoint1 = h.snapshot(1, 1);
            // crash: the notification never arrives
        }
        assertThat(ids()).isEmpty();
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = restore(checkpoint1, false)) {
            assertExactlyOnce(ids(), TestRows.ids(0, 100));
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 100));
    }

    @Test
    void commitThatLandedBeforeTheCrashIsNotCommittedTwice() throws Exception {
        OperatorSubtaskState checkpoint1;
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            checkpoint1 = h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1);
            // crash after the Delta commit, before anything else was checkpointed
        }
        long versionBefore = reader.version();
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = restore(checkpoint1, false)) {
            send(h, StagedFiles.write(table, 100, 150));
            h.snapshot(2, 2);
            h.notifyOfCompletedCheckpoint(2);
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 150));
        assertThat(reader.version()).as("restore added no commit").isEqualTo(versionBefore + 1);
    }

    @Test
    void restoringTwiceFromTheSameCheckpointCommitsOnce() throws Exception {
        OperatorSubtaskState checkpoint1;
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            checkpoint1 = h.snapshot(1, 1);
        }
        List<StagedFile> lost = StagedFiles.write(table, 100, 200);
        OneInputStreamOperatorTestHarness<StagedFile, Object> crashing = restore(checkpoint1, false);
        send(crashing, lost);
        // crash again before the next checkpoint: these files were never sealed
        crash(crashing);
        for (StagedFile file : lost) {
            assertThat(Files.exists(Paths.get(URI.create(file.path()))))
                    .as("aborted file %s is deleted", file.path())
                    .isFalse();
        }
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = restore(checkpoint1, false)) {
            send(h, StagedFiles.write(table, 100, 200));
            h.snapshot(2, 2);
            h.notifyOfCompletedCheckpoint(2);
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 200));
        assertThat(reader.appIds()).as("one appId throughout").hasSize(1);
    }

    @Test
    void statelessStartOnATableWithCommitsGetsANewAppIdAndSkipsNothing() throws Exception {
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = open(false)) {
            for (long cp = 1; cp <= 3; cp++) {
                send(h, StagedFiles.write(table, cp * 100, cp * 100 + 100));
                h.snapshot(cp, cp);
                h.notifyOfCompletedCheckpoint(cp);
            }
        }
        // a new job without state: its checkpoint ids start again at 1
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = open(false)) {
            send(h, StagedFiles.write(table, 1000, 1100));
            h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1);
        }
        Set<Long> expected = new HashSet<>(TestRows.ids(100, 400));
        expected.addAll(TestRows.ids(1000, 1100));
        assertExactlyOnce(ids(), expected);
        List<String> appIds = reader.appIds();
        assertThat(appIds).hasSize(2);
        assertThat(reader.txnVersion(appIds.get(0))).contains(3L);
        assertThat(reader.txnVersion(appIds.get(1))).contains(1L);
    }

    @Test
    void restoringACheckpointOlderThanTheTableFailsWithTheDocumentedMessage() throws Exception {
        OperatorSubtaskState checkpoint1 = commitTwoCheckpointsKeepingTheFirst();
        long version = reader.version();

        assertThatThrownBy(() -> restore(checkpoint1, false).close())
                .isInstanceOf(TableRewindException.class)
                .hasMessageContaining("restored from checkpoint/savepoint 1")
                .hasMessageContaining("up to checkpoint 2")
                .hasMessageContaining("'allowRewind'");
        assertThat(reader.version()).as("nothing written").isEqualTo(version);
        assertExactlyOnce(ids(), TestRows.ids(0, 200));
    }

    @Test
    void allowRewindContinuesUnderANewAppIdAndCommitsWhatItReReads() throws Exception {
        OperatorSubtaskState checkpoint1 = commitTwoCheckpointsKeepingTheFirst();
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = restore(checkpoint1, true)) {
            // the re-read range: the same ids as checkpoint 2 wrote
            send(h, StagedFiles.write(table, 100, 200));
            h.snapshot(2, 2);
            h.notifyOfCompletedCheckpoint(2);
        }
        List<String> appIds = reader.appIds();
        assertThat(appIds).hasSize(2);
        List<Long> rows = ids();
        assertThat(rows).hasSize(300);
        assertThat(new HashSet<>(rows)).isEqualTo(TestRows.ids(0, 200));
    }

    @Test
    void allowRewindRecommitsRecoveredFilesThatTheRestoredTableNoLongerHolds() throws Exception {
        OperatorSubtaskState checkpoint2;
        List<StagedFile> second = StagedFiles.write(table, 100, 200);
        List<StagedFile> third = StagedFiles.write(table, 200, 300);
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1);
            send(h, second);
            checkpoint2 = h.snapshot(2, 2);
            h.notifyOfCompletedCheckpoint(2);
            send(h, third);
            h.snapshot(3, 3);
            h.notifyOfCompletedCheckpoint(3);
        }
        // the table is restored to its state after checkpoint 1; its txn version stays at 3
        List<String> removed = new java.util.ArrayList<>();
        second.forEach(f -> removed.add(f.path()));
        third.forEach(f -> removed.add(f.path()));
        DeltaLogWriter.removeFiles(table, reader.version() + 1, removed);
        assertExactlyOnce(ids(), TestRows.ids(0, 100));

        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = restore(checkpoint2, true)) {
            // the source re-reads what followed checkpoint 2
            send(h, StagedFiles.write(table, 200, 300));
            h.snapshot(3, 3);
            h.notifyOfCompletedCheckpoint(3);
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 300));
    }

    @Test
    void filesLeftInTheOpenTransactionAtEndOfInputFailLoudly() throws Exception {
        OneInputStreamOperatorTestHarness<StagedFile, Object> h = open(false);
        send(h, StagedFiles.write(table, 0, 10));
        h.getOneInputOperator().finish();
        // no final checkpoint follows: closing must not quietly drop (or delete) the files
        assertThatThrownBy(h::close).hasStackTraceContaining("potentially been lost");
    }

    @Test
    void refusesToStartWithoutCheckpointsAfterTasksFinish() throws Exception {
        OneInputStreamOperatorTestHarness<StagedFile, Object> h = harness(false);
        h.getEnvironment()
                .getJobConfiguration()
                .set(org.apache.flink.configuration.CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, false);
        h.setup();
        assertThatThrownBy(h::open)
                .hasMessageContaining("execution.checkpointing.checkpoints-after-tasks-finish");
    }

    @Test
    void aFailedCommitFailsLoudlyAndLaterCheckpointsAreNotCommittedBeforeIt() throws Exception {
        String partitioned = tmp.resolve("partitioned").toUri().toString();
        DeltaTableReader partitionedReader = new DeltaTableReader(partitioned);
        List<StagedFile> good = StagedFiles.write(partitioned, List.of("event_date"), 0, 90);
        StagedFile broken =
                new StagedFile(
                        good.get(0).path(),
                        good.get(0).sizeBytes(),
                        good.get(0).modificationTime(),
                        Map.of(),
                        good.get(0).numRecords(),
                        good.get(0).statsJson());
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h =
                harness(partitioned, List.of("event_date"), false)) {
            h.setup();
            h.open();
            h.processElement(broken, 0);
            h.snapshot(1, 1);
            send(h, good.subList(1, good.size()));
            h.snapshot(2, 2);
            assertThatThrownBy(() -> h.notifyOfCompletedCheckpoint(2))
                    .hasStackTraceContaining("Could not commit checkpoint 1")
                    .hasStackTraceContaining(broken.path());
        }
        assertThat(partitionedReader.version())
                .as("checkpoint 2 was not committed after checkpoint 1 failed")
                .isZero();
    }

    // ------------------------------------------------------------------------------------------

    /** Commits ids 0-99 at checkpoint 1 and 100-199 at checkpoint 2; returns checkpoint 1. */
    private OperatorSubtaskState commitTwoCheckpointsKeepingTheFirst() throws Exception {
        try (OneInputStreamOperatorTestHarness<StagedFile, Object> h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            OperatorSubtaskState checkpoint1 = h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1);
            send(h, StagedFiles.write(table, 100, 200));
            h.snapshot(2, 2);
            h.notifyOfCompletedCheckpoint(2);
            return checkpoint1;
        }
    }

    /** Tears the operator down as a task failure does: no finish(), just close(). */
    private static void crash(OneInputStreamOperatorTestHarness<StagedFile, Object> h) throws Exception {
        h.getOneInputOperator().close();
        h.getEnvironment().close();
    }

    private List<Long> ids() {
        return reader.column("id").stream().map(v -> (Long) v).collect(Collectors.toList());
    }

    private static void send(OneInputStreamOperatorTestHarness<StagedFile, Object> h, List<StagedFile> files)
            throws Exception {
        for (StagedFile file : files) {
            h.processElement(file, 0);
        }
    }

    private OneInputStreamOperatorTestHarness<StagedFile, Object> open(boolean allowRewind)
            throws Exception {
        OneInputStreamOperatorTestHarness<StagedFile, Object> h = harness(allowRewind);
        h.setup();
        h.open();
        return h;
    }

    private OneInputStreamOperatorTestHarness<StagedFile, Object> restore(
            OperatorSubtaskState state, boolean allowRewind) throws Exception {
        OneInputStreamOperatorTestHarness<StagedFile, Object> h = harness(allowRewind);
        h.setup();
        h.initializeState(state);
        h.open();
        return h;
    }

    private OneInputStreamOperatorTestHarness<StagedFile, Object> harness(boolean allowRewind)
            throws Exception {
        return harness(table, List.of(), allowRewind);
    }

    private static OneInputStreamOperatorTestHarness<StagedFile, Object> harness(
            String table, List<String> partitionColumns, boolean allowRewind) throws Exception {
        DeltaSinkConfig config =
                new DeltaSinkConfig(
                        table,
                        partitionColumns,
                        Map.of(),
                        Map.of(),
                        100,
                        4,
                        new CommitRetryPolicy(2, 10, 10),
                        allowRewind,
                        true);
        OneInputStreamOperatorTestHarness<StagedFile, Object> h =
                new OneInputStreamOperatorTestHarness<>(
                        new StreamSink<>(new DeltaCommitSink(TestRows.ROW_TYPE, config)),
                        StagedFileSerializer.INSTANCE);
        h.getStreamConfig().setCheckpointingEnabled(true);
        return h;
    }
}
