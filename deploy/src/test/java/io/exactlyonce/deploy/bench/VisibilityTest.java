package io.exactlyonce.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

/** Tests for {@link Visibility}'s commit latencies (freshness reads files: see BenchRunnerITCase). */
class VisibilityTest {

    private static CheckpointStat checkpoint(long id, long trigger, long ack) {
        return new CheckpointStat(id, "COMPLETED", trigger, ack, ack - trigger, 0, 0);
    }

    @Test
    void deltaLatencyRunsFromTheTriggerToTheCommitOfTheCheckpointsTxnVersion() {
        DeltaLogCommits.AddedFile file = new DeltaLogCommits.AddedFile(Path.of("f.parquet"), 10);
        List<DeltaLogCommits.Version> versions = List.of(
                new DeltaLogCommits.Version(0, 500, -1, List.of()), // table creation
                new DeltaLogCommits.Version(1, 1_300, 1, List.of(file)),
                new DeltaLogCommits.Version(2, 2_450, 2, List.of(file)),
                new DeltaLogCommits.Version(3, 9_000, 7, List.of(file))); // checkpoint not seen by the runner
        List<CheckpointStat> checkpoints = List.of(checkpoint(1, 1_000, 1_200), checkpoint(2, 2_000, 2_100));
        assertThat(Visibility.deltaCommitLatencies(versions, checkpoints)).containsExactly(300L, 450L);
    }

    @Test
    void fileSinkLatencyRunsFromTheTriggerToTheLastFileTheCheckpointMadeVisible() {
        List<CheckpointStat> checkpoints = List.of(
                checkpoint(1, 1_000, 1_100),
                checkpoint(2, 2_000, 2_100),
                new CheckpointStat(3, "FAILED", 3_000, 0, 0, 0, 0));
        List<FileSinkOutput.FinishedFile> files = List.of(
                new FileSinkOutput.FinishedFile(Path.of("a"), 5, 1_150),
                new FileSinkOutput.FinishedFile(Path.of("b"), 5, 1_220),
                new FileSinkOutput.FinishedFile(Path.of("c"), 5, 2_130),
                new FileSinkOutput.FinishedFile(Path.of("d"), 5, 900)); // before any checkpoint: no latency
        assertThat(Visibility.fileCommitLatencies(files, checkpoints)).containsExactly(220L, 130L);
    }
}
