package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitListener;
import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.SourceProgress;
import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.core.TableProgress;
import io.exactlyonce.delta.sink.core.TableRewindException;
import io.exactlyonce.delta.sink.core.UnrecoverableTransactionException;
import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.testutil.DeltaLogWriter;
import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.StagedFiles;
import io.exactlyonce.delta.sink.testutil.TestRows;

import io.delta.kernel.engine.Engine;


import org.apache.flink.configuration.Configuration;
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
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static io.exactlyonce.delta.sink.testutil.KeySetAssert.assertExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The commit protocol's tests, one per path, run against each Flink adapter of the sink (see the
 * subclasses) through Flink's operator test harnesses, against a real Delta table in a temp
 * directory: the two adapters cannot drift apart.
 */
abstract class AbstractCommitProtocolTest {

    /** The adapter the tests drive. */
    /** The adapter under test, driven through Flink's operator test harnesses. */
    abstract CommitterDriver driver(DeltaSinkConfig config, Consumer<Configuration> jobConfig) throws Exception;

    @TempDir Path tmp;
    String table;
    private DeltaTableReader reader;

    @BeforeEach
    void setUp() {
        table = tmp.resolve("table").toUri().toString();
        reader = new DeltaTableReader(table);
    }

    @Test
    void commitsOneCheckpointAsOneDeltaCommit() throws Exception {
        try (CommitterDriver h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            send(h, StagedFiles.write(table, 100, 250));
            snapshot(h, 1);
            assertThat(ids()).as("nothing visible before the checkpoint completes").isEmpty();
            h.notifyOfCompletedCheckpoint(1);
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 250));
        assertThat(reader.version()).as("create + one commit").isEqualTo(1);
        assertThat(reader.txnVersion(reader.appIds().get(0))).contains(1L);
    }

    @Test
    void laterCompletionSubsumesAnEarlierPendingCheckpoint() throws Exception {
        try (CommitterDriver h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            snapshot(h, 1);
            send(h, StagedFiles.write(table, 100, 200));
            snapshot(h, 2);
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
        CommitterDriver.Snapshot checkpoint1;
        try (CommitterDriver h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            checkpoint1 = snapshot(h, 1);
            // crash: the notification never arrives
        }
        assertThat(ids()).isEmpty();
        try (CommitterDriver h = restore(checkpoint1, false)) {
            assertExactlyOnce(ids(), TestRows.ids(0, 100));
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 100));
    }

    @Test
    void commitThatLandedBeforeTheCrashIsNotCommittedTwice() throws Exception {
        CommitterDriver.Snapshot checkpoint1;
        try (CommitterDriver h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            checkpoint1 = snapshot(h, 1);
            h.notifyOfCompletedCheckpoint(1);
            // crash after the Delta commit, before anything else was checkpointed
        }
        long versionBefore = reader.version();
        try (CommitterDriver h = restore(checkpoint1, false)) {
            send(h, StagedFiles.write(table, 100, 150));
            snapshot(h, 2);
            h.notifyOfCompletedCheckpoint(2);
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 150));
        assertThat(reader.version()).as("restore added no commit").isEqualTo(versionBefore + 1);
    }

    @Test
    void restoringTwiceFromTheSameCheckpointCommitsOnce() throws Exception {
        CommitterDriver.Snapshot checkpoint1;
        try (CommitterDriver h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            checkpoint1 = snapshot(h, 1);
        }
        List<StagedFile> lost = StagedFiles.write(table, 100, 200);
        CommitterDriver crashing = restore(checkpoint1, false);
        send(crashing, lost);
        // crash again before the next checkpoint: these files were never sealed
        crash(crashing);
        for (StagedFile file : lost) {
            assertThat(Files.exists(Paths.get(URI.create(file.path()))))
                    .as("aborted file %s is deleted", file.path())
                    .isFalse();
        }
        try (CommitterDriver h = restore(checkpoint1, false)) {
            send(h, StagedFiles.write(table, 100, 200));
            snapshot(h, 2);
            h.notifyOfCompletedCheckpoint(2);
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 200));
        assertThat(reader.appIds()).as("one appId throughout").hasSize(1);
    }

    @Test
    void statelessStartOnATableWithCommitsGetsANewAppIdAndSkipsNothing() throws Exception {
        try (CommitterDriver h = open(false)) {
            for (long cp = 1; cp <= 3; cp++) {
                send(h, StagedFiles.write(table, cp * 100, cp * 100 + 100));
                snapshot(h, cp);
                h.notifyOfCompletedCheckpoint(cp);
            }
        }
        // a new job without state: its checkpoint ids start again at 1
        try (CommitterDriver h = open(false)) {
            send(h, StagedFiles.write(table, 1000, 1100));
            snapshot(h, 1);
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
        CommitterDriver.Snapshot checkpoint1 = commitTwoCheckpointsKeepingTheFirst();
        long version = reader.version();

        assertThatThrownBy(() -> restore(checkpoint1, false).close())
                .isInstanceOf(TableRewindException.class)
                .hasMessageContaining("restored from checkpoint/savepoint 1")
                .hasMessageContaining("up to checkpoint 2")
                .hasMessageContaining("'allowRewind'");
        assertThat(reader.version()).as("nothing written").isEqualTo(version);
        assertExactlyOnce(ids(), TestRows.ids(0, 200));
    }

    /**
     * A rewind is refused even when the restored checkpoint holds no pending transaction: the
     * committer's identity (appId) alone, compared with the table, has to catch it.
     */
    @Test
    void restoringAnOlderCheckpointWithNothingPendingIsRefusedToo() throws Exception {
        CommitterDriver.Snapshot idle;
        try (CommitterDriver h = open(false)) {
            idle = snapshot(h, 1); // nothing staged yet: no transaction in this checkpoint
            h.notifyOfCompletedCheckpoint(1);
            send(h, StagedFiles.write(table, 0, 100));
            snapshot(h, 2);
            h.notifyOfCompletedCheckpoint(2);
        }
        long version = reader.version();

        assertThatThrownBy(() -> restore(idle, false).close())
                .isInstanceOf(TableRewindException.class)
                .hasMessageContaining("restored from checkpoint/savepoint 1")
                .hasMessageContaining("up to checkpoint 2");
        assertThat(reader.version()).as("nothing written").isEqualTo(version);
    }

    @Test
    void allowRewindContinuesUnderANewAppIdAndCommitsWhatItReReads() throws Exception {
        CommitterDriver.Snapshot checkpoint1 = commitTwoCheckpointsKeepingTheFirst();
        try (CommitterDriver h = restore(checkpoint1, true)) {
            // the re-read range: the same ids as checkpoint 2 wrote
            send(h, StagedFiles.write(table, 100, 200));
            snapshot(h, 2);
            h.notifyOfCompletedCheckpoint(2);
        }
        List<String> appIds = reader.appIds();
        assertThat(appIds).hasSize(2);
        List<Long> rows = ids();
        assertThat(rows).hasSize(300);
        assertThat(new HashSet<>(rows)).isEqualTo(TestRows.ids(0, 200));
    }

    /**
     * After a rewind accepted with allowRewind, a recovered checkpoint whose files the table has
     * removed since (here: compacted by OPTIMIZE into new files with the same rows) is refused, not
     * re-added: re-adding would duplicate its rows. Restoring the checkpoint that matches the table
     * is the way on, and stays exact.
     */
    @Test
    void allowRewindRefusesToReAddRecoveredFilesTheTableRemovedSince() throws Exception {
        CommitterDriver.Snapshot checkpoint1;
        CommitterDriver.Snapshot checkpoint2;
        List<StagedFile> second = StagedFiles.write(table, 100, 200);
        try (CommitterDriver h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            checkpoint1 = snapshot(h, 1);
            h.notifyOfCompletedCheckpoint(1);
            send(h, second);
            checkpoint2 = snapshot(h, 2);
            h.notifyOfCompletedCheckpoint(2);
            send(h, StagedFiles.write(table, 200, 300));
            snapshot(h, 3);
            h.notifyOfCompletedCheckpoint(3);
        }
        compact(second, 100, 200);
        long version = reader.version();
        assertExactlyOnce(ids(), TestRows.ids(0, 300));

        assertThatThrownBy(() -> restore(checkpoint2, true).close())
                .isInstanceOf(UnrecoverableTransactionException.class)
                .hasMessageContaining("Recovered checkpoint 2")
                .hasMessageContaining(second.get(0).path())
                .hasMessageContaining("OPTIMIZE")
                .hasMessageContaining("'skipCheckpointsOnRestore'");
        assertThat(reader.version()).as("nothing written").isEqualTo(version);
        assertExactlyOnce(ids(), TestRows.ids(0, 300));
    }

    /**
     * allowRewind changes nothing when no rewind is detected: a recovered checkpoint the table
     * already holds (its files since compacted) is skipped by its txn version, never re-added.
     */
    @Test
    void allowRewindWithoutARewindNeverReAddsCompactedFiles() throws Exception {
        CommitterDriver.Snapshot checkpoint1;
        List<StagedFile> first = StagedFiles.write(table, 0, 100);
        try (CommitterDriver h = open(false)) {
            send(h, first);
            checkpoint1 = snapshot(h, 1);
            h.notifyOfCompletedCheckpoint(1);
            // crash: nothing checkpointed after the commit
        }
        compact(first, 0, 100);

        try (CommitterDriver h = restore(checkpoint1, true)) {
            send(h, StagedFiles.write(table, 100, 200));
            snapshot(h, 2);
            h.notifyOfCompletedCheckpoint(2);
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 200));
        assertThat(reader.appIds()).as("no new appId without a rewind").hasSize(2);
    }

    @Test
    void aRecoveredTransactionWithAMissingFileIsRefusedAndNamesTheFile() throws Exception {
        CommitterDriver.Snapshot checkpoint1;
        List<StagedFile> files = StagedFiles.write(table, List.of("event_date"), 0, 90);
        try (CommitterDriver h =
                harness(table, List.of("event_date"), false)) {
            h.open();
            send(h, files);
            checkpoint1 = snapshot(h, 1);
            // crash before the notification
        }
        Files.delete(Paths.get(URI.create(files.get(1).path())));
        long version = reader.version();

        assertThatThrownBy(() -> restore(checkpoint1, config(table, List.of("event_date"), false)).close())
                .isInstanceOf(UnrecoverableTransactionException.class)
                .hasMessageContaining("Recovered checkpoint 1")
                .hasMessageContaining(files.get(1).path() + " is missing")
                .hasMessageContaining("VACUUM")
                .hasMessageContaining("'skipCheckpointsOnRestore' including 1");
        assertThat(reader.version()).as("no add action for a missing file").isEqualTo(version);
        assertThat(ids()).isEmpty();
    }

    @Test
    void aRecoveredFileOfAnotherSizeIsRefused() throws Exception {
        CommitterDriver.Snapshot checkpoint1;
        List<StagedFile> files = StagedFiles.write(table, 0, 100);
        try (CommitterDriver h = open(false)) {
            send(h, files);
            checkpoint1 = snapshot(h, 1);
        }
        Path file = Paths.get(URI.create(files.get(0).path()));
        Files.write(file, new byte[] {1, 2, 3});

        assertThatThrownBy(() -> restore(checkpoint1, false).close())
                .isInstanceOf(UnrecoverableTransactionException.class)
                .hasMessageContaining(files.get(0).path() + " has 3 bytes, " + files.get(0).sizeBytes() + " recorded");
        assertThat(ids()).isEmpty();
    }

    /**
     * The way out of a poison checkpoint: restored with skipCheckpointsOnRestore, its files are
     * recorded in the table's quarantine directory, nothing of it is committed, and the job goes on.
     */
    @Test
    void skippingAPoisonCheckpointRecordsItsFilesAndLetsLaterCheckpointsCommit() throws Exception {
        CommitterDriver.Snapshot checkpoint1;
        List<StagedFile> files = StagedFiles.write(table, 0, 100);
        try (CommitterDriver h = open(false)) {
            send(h, files);
            checkpoint1 = snapshot(h, 1);
        }
        Files.delete(Paths.get(URI.create(files.get(0).path())));

        try (CommitterDriver h =
                restore(checkpoint1, config(false).withSkipCheckpointsOnRestore(Set.of(1L)))) {
            send(h, StagedFiles.write(table, 100, 200));
            snapshot(h, 2);
            h.notifyOfCompletedCheckpoint(2);
        }

        assertExactlyOnce(ids(), TestRows.ids(100, 200));
        Path quarantine = Paths.get(URI.create(table)).resolve("_quarantine");
        List<Path> records;
        try (var list = Files.list(quarantine)) {
            records = list.filter(p -> p.getFileName().toString().endsWith(".json")
                            && !p.getFileName().toString().startsWith(".")).collect(Collectors.toList());
        }
        assertThat(records).hasSize(1);
        assertThat(records.get(0).getFileName().toString()).startsWith("checkpoint-1-");
        List<String> lines = Files.readAllLines(records.get(0));
        assertThat(lines).hasSize(files.size());
        for (StagedFile file : files) {
            assertThat(lines).anySatisfy(line -> assertThat(line)
                    .contains("\"path\":\"" + file.path() + "\"")
                    .contains("\"numRecords\":" + file.numRecords())
                    .contains("\"checkpointId\":1"));
        }
    }

    @Test
    void aSkippedCheckpointThatIsAlreadyCommittedIsNotQuarantined() throws Exception {
        CommitterDriver.Snapshot checkpoint1;
        try (CommitterDriver h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            checkpoint1 = snapshot(h, 1);
            h.notifyOfCompletedCheckpoint(1);
        }
        try (CommitterDriver h =
                restore(checkpoint1, config(false).withSkipCheckpointsOnRestore(Set.of(1L)))) {
            assertThat(Paths.get(URI.create(table)).resolve("_quarantine")).doesNotExist();
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 100));
    }

    @Test
    void aSkippedCheckpointThatCanStillCommitIsCommitted() throws Exception {
        CommitterDriver.Snapshot checkpoint1;
        try (CommitterDriver h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            checkpoint1 = snapshot(h, 1);
            // crash before the notification: checkpoint 1 is pending and committable
        }
        try (CommitterDriver h =
                restore(checkpoint1, config(false).withSkipCheckpointsOnRestore(Set.of(1L)))) {
            assertThat(Paths.get(URI.create(table)).resolve("_quarantine")).doesNotExist();
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 100));
    }

    // ------------------------------------------------------------------ source progress

    @Test
    void progressIsCommittedAtomicallyWithTheCheckpointAndCarriedForward() throws Exception {
        try (CommitterDriver h = harness(config(false).withProgressId("job"))) {
            h.open();
            send(h, StagedFiles.write(table, 0, 100));
            progress(h, "t/0", 10);
            progress(h, "t/1", 5);
            progress(h, "t/0", 7); // an older position never moves a split back
            snapshot(h, 1);
            assertThat(recordedProgress()).as("nothing before the checkpoint completes").isEmpty();
            h.notifyOfCompletedCheckpoint(1);
            assertThat(recordedProgress()).contains(SourceProgress.of(Map.of("t/0", 10L, "t/1", 5L)));

            send(h, StagedFiles.write(table, 100, 200));
            progress(h, "t/0", 20);
            snapshot(h, 2);
            h.notifyOfCompletedCheckpoint(2);
        }
        assertThat(recordedProgress()).contains(SourceProgress.of(Map.of("t/0", 20L, "t/1", 5L)));
        assertExactlyOnce(ids(), TestRows.ids(0, 200));
        String commit2 = Files.readString(logFile(2));
        assertThat(commit2)
                .as("a plain Delta domainMetadata action in the same commit as the files")
                .contains("\"domainMetadata\"")
                .contains("io.exactlyonce.progress.job")
                .contains("\"add\"");
    }

    @Test
    void aCheckpointWithoutFilesCommitsOnlyWhenTheProgressMoved() throws Exception {
        try (CommitterDriver h = harness(config(false).withProgressId("job"))) {
            h.open();
            send(h, StagedFiles.write(table, 0, 100));
            progress(h, "t/0", 100);
            snapshot(h, 1);
            h.notifyOfCompletedCheckpoint(1);
            long version = reader.version();

            progress(h, "t/0", 150); // records read, all duplicates: no files
            snapshot(h, 2);
            h.notifyOfCompletedCheckpoint(2);
            assertThat(reader.version()).as("a progress-only commit").isEqualTo(version + 1);
            assertThat(recordedProgress()).contains(SourceProgress.of(Map.of("t/0", 150L)));

            snapshot(h, 3); // idle
            h.notifyOfCompletedCheckpoint(3);
            assertThat(reader.version()).as("an idle checkpoint writes nothing").isEqualTo(version + 1);
        }
    }

    @Test
    void aStartWithoutStateCarriesTheTableProgressForward() throws Exception {
        try (CommitterDriver h = harness(config(false).withProgressId("job"))) {
            h.open();
            send(h, StagedFiles.write(table, 0, 10));
            progress(h, "t/0", 10);
            progress(h, "t/1", 5);
            snapshot(h, 1);
            h.notifyOfCompletedCheckpoint(1);
        }
        try (CommitterDriver h = harness(config(false).withProgressId("job"))) {
            h.open();
            send(h, StagedFiles.write(table, 10, 20));
            progress(h, "t/0", 20);
            snapshot(h, 1);
            h.notifyOfCompletedCheckpoint(1);
        }
        assertThat(recordedProgress()).contains(SourceProgress.of(Map.of("t/0", 20L, "t/1", 5L)));
    }

    @Test
    void theProgressOfARecoveredCheckpointIsCommittedWithIt() throws Exception {
        CommitterDriver.Snapshot checkpoint1;
        try (CommitterDriver h = harness(config(false).withProgressId("job"))) {
            h.open();
            send(h, StagedFiles.write(table, 0, 100));
            progress(h, "t/0", 100);
            checkpoint1 = snapshot(h, 1);
            // crash before the notification
        }
        assertThat(recordedProgress()).isEmpty();
        try (CommitterDriver h =
                restore(checkpoint1, config(false).withProgressId("job"))) {
            assertThat(recordedProgress()).contains(SourceProgress.of(Map.of("t/0", 100L)));
        }
        assertExactlyOnce(ids(), TestRows.ids(0, 100));
    }

    @Test
    void progressSurvivesDeltaLogCheckpointsAndCleanedUpCommits() throws Exception {
        DeltaSinkConfig config =
                new DeltaSinkConfig(table, List.of(), Map.of(), Map.of("delta.checkpointInterval", "2"), 100, 4,
                                new CommitRetryPolicy(2, 10, 10), false, true)
                        .withProgressId("job");
        try (CommitterDriver h = harness(config)) {
            h.open();
            send(h, StagedFiles.write(table, 0, 10));
            progress(h, "t/0", 10);
            progress(h, "t/9", 99); // never updated again: only the first commit and the log checkpoints hold it
            snapshot(h, 1);
            h.notifyOfCompletedCheckpoint(1);
            for (long cp = 2; cp <= 5; cp++) {
                send(h, StagedFiles.write(table, cp * 10, cp * 10 + 10));
                progress(h, "t/0", cp * 10 + 10);
                snapshot(h, cp);
                h.notifyOfCompletedCheckpoint(cp);
            }
        }
        Path log = Paths.get(URI.create(table)).resolve("_delta_log");
        long checkpointVersion;
        try (var files = Files.list(log)) {
            checkpointVersion = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".checkpoint.parquet"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20)))
                    .max()
                    .orElseThrow();
        }
        for (long v = 0; v < checkpointVersion; v++) {
            Files.deleteIfExists(logFile(v)); // what log cleanup does after the retention
            Files.deleteIfExists(log.resolve(String.format(".%020d.json.crc", v)));
            Files.deleteIfExists(log.resolve(String.format("%020d.crc", v)));
        }
        assertThat(recordedProgress()).contains(SourceProgress.of(Map.of("t/0", 60L, "t/9", 99L)));
    }

    private static void progress(CommitterDriver h, String key, long position) throws Exception {
        h.progress(key, position);
    }

    private java.util.Optional<SourceProgress> recordedProgress() {
        return TableProgress.read(reader.snapshot(), "job");
    }

    private Path logFile(long version) {
        return Paths.get(URI.create(table)).resolve("_delta_log").resolve(String.format("%020d.json", version));
    }

    /**
     * An {@link Error} (not only a RuntimeException) from the commit of checkpoint 1 must keep
     * checkpoint 2 from committing: TwoPhaseCommitSinkFunction catches every Throwable and goes on.
     */
    @Test
    void anErrorInACommitBlocksEveryLaterCheckpoint() throws Exception {
        try (CommitterDriver h =
                harness(withListener(config(false), new ErrorOnCommit(1)))) {
            h.open();
            send(h, StagedFiles.write(table, 0, 100));
            snapshot(h, 1);
            send(h, StagedFiles.write(table, 100, 200));
            snapshot(h, 2);
            assertThatThrownBy(() -> h.notifyOfCompletedCheckpoint(2))
                    .hasStackTraceContaining("injected Error in the commit of checkpoint 1");
            send(h, StagedFiles.write(table, 200, 300));
            snapshot(h, 3);
            assertThatThrownBy(() -> h.notifyOfCompletedCheckpoint(3))
                    .hasStackTraceContaining("because an earlier checkpoint's commit failed");
        }
        assertThat(reader.version()).as("nothing committed after the failed checkpoint 1").isZero();
    }

    @Test
    void refusesToStartWithoutCheckpointsAfterTasksFinish() throws Exception {
        CommitterDriver h =
                driver(
                        config(false),
                        jobConfig -> jobConfig.set(
                                org.apache.flink.configuration.CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH,
                                false));
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
                        good.get(0).statistics().orElse(null));
        try (CommitterDriver h =
                harness(partitioned, List.of("event_date"), false)) {
            h.open();
            h.send(broken);
            snapshot(h, 1);
            send(h, good.subList(1, good.size()));
            snapshot(h, 2);
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
    private CommitterDriver.Snapshot commitTwoCheckpointsKeepingTheFirst() throws Exception {
        try (CommitterDriver h = open(false)) {
            send(h, StagedFiles.write(table, 0, 100));
            CommitterDriver.Snapshot checkpoint1 = snapshot(h, 1);
            h.notifyOfCompletedCheckpoint(1);
            send(h, StagedFiles.write(table, 100, 200));
            snapshot(h, 2);
            h.notifyOfCompletedCheckpoint(2);
            return checkpoint1;
        }
    }

    private static CommitterDriver.Snapshot snapshot(CommitterDriver h, long id) throws Exception {
        return h.snapshot(id);
    }

    private static void crash(CommitterDriver h) throws Exception {
        h.crash();
    }

    private List<Long> ids() {
        return reader.column("id").stream().map(v -> (Long) v).collect(Collectors.toList());
    }

    private static void send(CommitterDriver h, List<StagedFile> files) throws Exception {
        h.send(files);
    }

    CommitterDriver open(boolean allowRewind) throws Exception {
        CommitterDriver h = harness(allowRewind);
        h.open();
        return h;
    }

    private CommitterDriver restore(CommitterDriver.Snapshot state, boolean allowRewind) throws Exception {
        return restore(state, config(allowRewind));
    }

    private CommitterDriver harness(boolean allowRewind) throws Exception {
        return harness(table, List.of(), allowRewind);
    }

    private CommitterDriver restore(CommitterDriver.Snapshot state, DeltaSinkConfig config) throws Exception {
        CommitterDriver h = harness(config);
        h.restore(state);
        return h;
    }

    private DeltaSinkConfig config(boolean allowRewind) {
        return config(table, List.of(), allowRewind);
    }

    private static DeltaSinkConfig config(String table, List<String> partitionColumns, boolean allowRewind) {
        return new DeltaSinkConfig(
                table,
                partitionColumns,
                Map.of(),
                Map.of(),
                100,
                4,
                new CommitRetryPolicy(2, 10, 10),
                allowRewind,
                true);
    }

    private static DeltaSinkConfig withListener(DeltaSinkConfig c, CommitListener listener) {
        return new DeltaSinkConfig(
                c.tablePath(),
                c.partitionColumns(),
                c.hadoopConf(),
                c.tableProperties(),
                c.batchRows(),
                c.maxOpenPartitions(),
                c.retryPolicy(),
                c.allowRewind(),
                c.deleteAbortedFiles(),
                listener,
                true);
    }

    /**
     * What OPTIMIZE does to a table: removes the given files and adds new files holding the same
     * rows, in a commit of another writer.
     */
    private void compact(List<StagedFile> files, long fromId, long toExclusive) {
        DeltaLogWriter.removeFiles(table, reader.version() + 1, files.stream().map(StagedFile::path).toList());
        Engine engine = KernelEngines.create(Map.of());
        new DeltaCommitter(
                        engine,
                        table,
                        DeltaSchemaConverter.toDeltaSchema(TestRows.ROW_TYPE),
                        List.of(),
                        CommitRetryPolicy.defaults())
                .commit(new DeltaTransaction("optimize", 1, StagedFiles.write(table, fromId, toExclusive)));
    }

    /** A listener that fails the commit of one checkpoint with an {@link Error}. */
    private static final class ErrorOnCommit implements CommitListener {
        private static final long serialVersionUID = 1L;
        private final long checkpointId;

        ErrorOnCommit(long checkpointId) {
            this.checkpointId = checkpointId;
        }

        @Override
        public void beforeCommit(DeltaTransaction transaction, boolean recovery) {
            if (transaction.checkpointId() == checkpointId) {
                throw new AssertionError("injected Error in the commit of checkpoint " + checkpointId);
            }
        }
    }

    private CommitterDriver harness(String table, List<String> partitionColumns, boolean allowRewind)
            throws Exception {
        return harness(config(table, partitionColumns, allowRewind));
    }

    private CommitterDriver harness(DeltaSinkConfig config) throws Exception {
        return driver(config, jobConfig -> {});
    }
}
