package io.exactlyonce.delta.sink.core;

import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.FlakyLogStore;
import io.exactlyonce.delta.sink.testutil.StagedFiles;
import io.exactlyonce.delta.sink.testutil.TestRows;

import io.delta.kernel.types.StructType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.exactlyonce.delta.sink.testutil.KeySetAssert.assertExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link DeltaCommitter}'s handling of I/O failures, against a real table whose log
 * store fails on purpose ({@link FlakyLogStore}).
 */
class DeltaCommitterTest {

    @TempDir Path tmp;
    private String table;
    private DeltaCommitter committer;

    @BeforeEach
    void setUp() {
        FlakyLogStore.reset();
        table = tmp.resolve("table").toUri().toString();
        StructType schema = DeltaSchemaConverter.toDeltaSchema(TestRows.ROW_TYPE);
        committer =
                new DeltaCommitter(
                        KernelEngines.create(
                                Map.of(FlakyLogStore.CONF_KEY, FlakyLogStore.class.getName())),
                        table,
                        schema,
                        List.of(),
                        new CommitRetryPolicy(4, 1, 5));
    }

    @AfterEach
    void tearDown() {
        FlakyLogStore.reset();
    }

    @Test
    void transientWriteFailuresAreRetried() {
        DeltaTransaction txn = sealed(1, StagedFiles.write(table, 0, 100));
        FlakyLogStore.failBeforeWrite.set(2);

        CommitResult result = committer.commit(txn);

        assertThat(FlakyLogStore.failures).hasValue(2);
        // Kernel retries a failed log write itself before the committer sees an error
        assertThat(result.status()).isEqualTo(CommitResult.Status.COMMITTED);
        assertExactlyOnce(ids(), TestRows.ids(0, 100));
    }

    @Test
    void aCommitThatLandedDespiteAnErrorIsNotAppliedTwice() {
        DeltaTransaction txn = sealed(1, StagedFiles.write(table, 0, 100));
        FlakyLogStore.failAfterWrite.set(1);

        CommitResult result = committer.commit(txn);

        assertThat(FlakyLogStore.failures).hasValue(1);
        assertThat(result.status()).isEqualTo(CommitResult.Status.ALREADY_COMMITTED);
        assertExactlyOnce(ids(), TestRows.ids(0, 100));
        assertThat(new DeltaTableReader(table).version()).isEqualTo(1);
    }

    @Test
    void aCommitThatKeepsFailingThrowsAndNamesTheFilesAtRisk() {
        List<StagedFile> files = StagedFiles.write(table, 0, 100);
        DeltaTransaction txn = sealed(7, files);
        FlakyLogStore.failBeforeWrite.set(Integer.MAX_VALUE);

        assertThatThrownBy(() -> committer.commit(txn))
                .isInstanceOf(DeltaCommitFailedException.class)
                .hasMessageContaining("checkpoint 7")
                .hasMessageContaining(txn.appId())
                .hasMessageContaining(files.get(0).path());
        assertThat(FlakyLogStore.failures.get())
                .as("every committer attempt tried the log")
                .isGreaterThanOrEqualTo(4);
        assertThat(new DeltaTableReader(table).version()).as("nothing committed").isZero();
    }

    @Test
    void anEmptyCheckpointWritesNoCommit() {
        StagedFiles.write(table, 0, 0);
        CommitResult result = committer.commit(sealed(3, List.of()));
        assertThat(result.status()).isEqualTo(CommitResult.Status.EMPTY);
        assertThat(new DeltaTableReader(table).version()).isZero();
    }

    private static DeltaTransaction sealed(long checkpointId, List<StagedFile> files) {
        DeltaTransaction txn = new DeltaTransaction(DeltaCommitterContext.mint().appId());
        files.forEach(txn::add);
        txn.seal(checkpointId);
        return txn;
    }

    private List<Long> ids() {
        return new DeltaTableReader(table)
                .column("id").stream().map(v -> (Long) v).collect(Collectors.toList());
    }
}
