package io.exactlyonce.job.local;

import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.OperatorStreamStateHandle;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link RetainedCheckpoints} and {@link ResumeDecision}: which retained checkpoint an
 * embedded run resumes from. The checkpoint directories are laid out as Flink's file storage lays
 * them out ({@code <dir>/<job id>/chk-<n>/_metadata}), each {@code _metadata} written by Flink's own
 * {@link Checkpoints#storeCheckpointMetadata} with the operator ids of the graph the job's options
 * build (or of a job with another {@code --uid-prefix}).
 */
class RetainedCheckpointsTest {

    private static final String JOB_A = "00000000000000000000000000000a01";
    private static final String JOB_B = "00000000000000000000000000000b02";

    private static JobShape thisJob;
    private static JobIdentity thisIdentity;
    private static JobShape otherJob;

    /** Where the graphs' tables go (building the graph creates them). */
    @TempDir static Path tables;

    @TempDir Path dir;

    @BeforeAll
    static void shapes() {
        thisJob = shapeOf(config("file:///unused", "orders"));
        thisIdentity = JobIdentity.of(config("file:///unused", "orders"));
        otherJob = shapeOf(config("file:///unused", "payments"));
    }

    @Test
    void noDirectoryMeansNoCheckpoint() throws Exception {
        RetainedCheckpoints.Selection selection = select(dir.resolve("absent"));
        assertThat(selection.chosen()).isEmpty();
        assertThat(selection.unusable()).isEmpty();
    }

    @Test
    void picksTheNewestCompleteCheckpointOfThisJobAcrossRuns() throws Exception {
        write(JOB_A, 7, thisJob, 1_000);
        write(JOB_B, 3, thisJob, 5_000); // a later run, restored from an earlier point: newer by time, lower id
        write(JOB_B, 2, thisJob, 5_000); // same time, lower id
        Files.createDirectories(dir.resolve(JOB_B).resolve("chk-4")); // in progress: no _metadata
        Files.createDirectories(dir.resolve(JOB_B).resolve("shared"));
        Files.createDirectories(dir.resolve(JOB_B).resolve("taskowned"));

        RetainedCheckpoints.Selection selection = select(dir);

        assertThat(selection.chosen()).map(RetainedCheckpoints.Candidate::pointer)
                .hasValueSatisfying(p -> assertThat(p).endsWith(JOB_B + "/chk-3"));
        assertThat(selection.unusable()).isEmpty();
        assertThat(new RetainedCheckpoints(dir.toUri().toString(), thisJob, thisIdentity, loader()).complete())
                .extracting(c -> c.checkpointId).containsExactly(3L, 2L, 7L);
    }

    @Test
    void buildsTheJobGraphOnlyWhenThereIsACheckpointToJudge() throws Exception {
        java.util.concurrent.atomic.AtomicInteger builds = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<JobShape> shape = () -> {
            builds.incrementAndGet();
            return thisJob;
        };
        Files.createDirectories(dir.resolve(JOB_A).resolve("chk-1")); // in progress: no _metadata
        assertThat(new RetainedCheckpoints(dir.toUri().toString(), shape, thisIdentity, loader()).select().chosen()).isEmpty();
        assertThat(builds).as("nothing to judge: no graph built").hasValue(0);

        write(JOB_A, 4, thisJob, 1_000);
        assertThat(new RetainedCheckpoints(dir.toUri().toString(), shape, thisIdentity, loader()).select().chosen()).isPresent();
        assertThat(builds).hasValue(1);
    }

    @Test
    void neverPicksACheckpointOfAnotherJobInTheSameDirectory() throws Exception {
        write(JOB_A, 4, thisJob, 1_000);
        write(JOB_B, 9, otherJob, 9_000); // newer, but --uid-prefix payments

        RetainedCheckpoints.Selection selection = select(dir);

        assertThat(selection.chosen()).map(c -> c.checkpointId).hasValue(4L);
        assertThat(selection.otherJobs).singleElement().asString()
                .contains("chk-9").contains("orders-orders-delta-").contains("another --uid-prefix");
    }

    @Test
    void neverPicksACheckpointOfAJobWithTheSameUidPrefixThatWroteAnotherTable() throws Exception {
        write(JOB_A, 4, thisJob, 1_000);
        JobIdentity.of(config(dir.toUri().toString(), "orders")).writeTo(dir.toUri().toString(), JOB_A);
        write(JOB_B, 9, thisJob, 9_000); // same graph (both left at the default uid prefix), other table
        JobIdentity.of(config(dir.toUri().toString(), "orders").with("table-path", tables.resolve("other").toUri().toString()))
                .writeTo(dir.toUri().toString(), JOB_B);

        RetainedCheckpoints.Selection selection = select(dir);

        assertThat(selection.chosen()).map(c -> c.checkpointId).hasValue(4L);
        assertThat(selection.otherJobs).singleElement().asString().contains("chk-9").contains("other");
    }

    @Test
    void onlyAnotherJobsCheckpointMeansStartingWithoutState() throws Exception {
        write(JOB_B, 9, otherJob, 9_000);

        assertThat(select(dir).chosen()).isEmpty();
        assertThat(ResumeDecision.retainedCheckpointToRestore(config(dir.toUri().toString(), "orders"))).isEmpty();
    }

    @Test
    void aCorruptLatestCheckpointFallsBackToTheOneBefore() throws Exception {
        write(JOB_A, 5, thisJob, 1_000);
        Path truncated = write(JOB_B, 6, thisJob, 2_000);
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        touch(truncated, 2_000);
        Path garbage = Files.createDirectories(dir.resolve(JOB_B).resolve("chk-7")).resolve("_metadata");
        Files.writeString(garbage, "not a checkpoint");
        touch(garbage, 3_000);

        RetainedCheckpoints.Selection selection = select(dir);

        assertThat(selection.chosen()).map(c -> c.checkpointId).hasValue(5L);
        assertThat(selection.corrupt).hasSize(2);
        assertThat(selection.corrupt.get(0)).contains("chk-7");
        assertThat(selection.corrupt.get(1)).contains("chk-6");
    }

    @Test
    void anIncompatibleCheckpointOfThisJobFallsBackToTheOneBefore() throws Exception {
        write(JOB_A, 5, thisJob, 1_000);
        // this job's committers, plus state of an operator the graph no longer has
        List<OperatorState> states = states(thisJob);
        states.add(withState(OperatorStates.of(new OperatorID(), 1, 128)));
        writeStates(JOB_B, 8, states, 2_000);

        RetainedCheckpoints.Selection selection = select(dir);

        assertThat(selection.chosen()).map(c -> c.checkpointId).hasValue(5L);
        assertThat(selection.incompatible).singleElement().asString()
                .contains("chk-8").contains("not in this job's graph");
    }

    @Test
    void aCommitterWithAnotherMaxParallelismIsIncompatible() throws Exception {
        List<OperatorState> states = new ArrayList<>();
        for (Map.Entry<OperatorID, Integer> op : thisJob.operators().entrySet()) {
            int max = thisJob.committers().containsKey(op.getKey()) ? 4 : maxParallelism(op.getValue());
            states.add(withState(OperatorStates.of(op.getKey(), 1, max)));
        }
        writeStates(JOB_A, 2, states, 1_000);

        assertThat(select(dir).incompatible).singleElement().asString().contains("max parallelism 4");
    }

    @Test
    void onlyUnusableCheckpointsRefuseToStartUnlessAFreshStartIsExplicit() throws Exception {
        Path garbage = Files.createDirectories(dir.resolve(JOB_A).resolve("chk-3")).resolve("_metadata");
        Files.writeString(garbage, "not a checkpoint");
        String checkpointDir = dir.toUri().toString();

        assertThatThrownBy(() -> ResumeDecision.retainedCheckpointToRestore(config(checkpointDir, "orders")))
                .isInstanceOf(ResumeRefusedException.class)
                .hasMessageContaining("chk-3")
                .hasMessageContaining("'--restore-from <path>'")
                .hasMessageContaining("'--auto-resume false'");
        assertThat(ResumeDecision.retainedCheckpointToRestore(
                        config(checkpointDir, "orders").with("auto-resume", "false")))
                .isEmpty();
    }

    @Test
    void theRunnerRestoresTheFoundCheckpointAndAnExplicitPathWins() throws Exception {
        write(JOB_A, 5, thisJob, 1_000);
        JobConfig config = config(dir.toUri().toString(), "orders");

        Optional<String> found = ResumeDecision.retainedCheckpointToRestore(config);
        assertThat(found).hasValueSatisfying(p -> assertThat(p).endsWith(JOB_A + "/chk-5"));
        assertThat(ResumeDecision.retainedCheckpointToRestore(config.with("restore-from", "file:///elsewhere/sp-1")))
                .isEmpty();
        assertThat(ResumeDecision.retainedCheckpointToRestore(config.with("auto-resume", "false"))).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------

    private RetainedCheckpoints.Selection select(Path checkpointDir) throws IOException {
        return new RetainedCheckpoints(checkpointDir.toUri().toString(), thisJob, thisIdentity, loader()).select();
    }

    private static ClassLoader loader() {
        return RetainedCheckpointsTest.class.getClassLoader();
    }

    private static JobConfig config(String checkpointDir, String uidPrefix) {
        return JobConfig.fromArgs(
                "--bootstrap-servers", "127.0.0.1:1",
                "--topics", "orders",
                "--table-path", tables.resolve(uidPrefix).toUri().toString(),
                "--checkpoint-dir", checkpointDir,
                "--uid-prefix", uidPrefix,
                "--parallelism", "2");
    }

    private static JobShape shapeOf(JobConfig config) {
        StreamExecutionEnvironment env = LocalJobRunner.environment(config);
        OrdersPipeline.build(env, config);
        return JobShape.of(env.getStreamGraph(), config.uidPrefix());
    }

    /** A complete checkpoint of {@code shape}'s graph: every operator, each with some operator state. */
    private Path write(String job, long id, JobShape shape, long modifiedMs) throws IOException {
        return writeStates(job, id, states(shape), modifiedMs);
    }

    private static List<OperatorState> states(JobShape shape) {
        List<OperatorState> states = new ArrayList<>();
        for (Map.Entry<OperatorID, Integer> op : shape.operators().entrySet()) {
            states.add(withState(OperatorStates.of(op.getKey(), 1, maxParallelism(op.getValue()))));
        }
        return states;
    }

    private static int maxParallelism(int ofVertex) {
        return ofVertex > 0 ? ofVertex : 128;
    }

    private static OperatorState withState(OperatorState state) {
        OperatorStateHandle.StateMetaInfo meta =
                new OperatorStateHandle.StateMetaInfo(new long[] {0}, OperatorStateHandle.Mode.SPLIT_DISTRIBUTE);
        state.putState(0, OperatorSubtaskState.builder()
                .setManagedOperatorState(new OperatorStreamStateHandle(
                        Map.of("state", meta), new ByteStreamStateHandle("handle", new byte[] {1, 2, 3})))
                .build());
        return state;
    }

    private Path writeStates(String job, long id, List<OperatorState> states, long modifiedMs) throws IOException {
        Path chk = Files.createDirectories(dir.resolve(job).resolve("chk-" + id));
        Path metadata = chk.resolve("_metadata");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(metadata))) {
            Checkpoints.storeCheckpointMetadata(new CheckpointMetadata(id, states, List.of()), out);
        }
        touch(metadata, modifiedMs);
        return metadata;
    }

    private static void touch(Path file, long modifiedMs) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L + modifiedMs));
    }
}
