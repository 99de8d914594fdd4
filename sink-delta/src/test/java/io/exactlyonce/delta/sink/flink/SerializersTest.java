package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.SourceProgress;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.exactlyonce.delta.sink.core.DeltaCommitterContext;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.StagedFile;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StagedFileSerializer}, {@link DeltaTransactionSerializer} and {@link
 * DeltaCommitterContextSerializer}: round trips through Flink's memory views, deep copies of the
 * mutable transaction, and restoring the serializers from their snapshots.
 */
class SerializersTest {

    private static final String APP_ID = "8b0e3c52-1a7f-4d2b-b3c9-5e6f7a8b9c0d";

    @Test
    void stagedFileRoundTripsThroughFlinkViews() throws IOException {
        StagedFile file =
                fileWithNullPartition("file:/t/a.parquet", stringStatistics("x".repeat(70_001)));

        StagedFile restored = roundTrip(StagedFileSerializer.INSTANCE, file);

        assertThat(restored).isEqualTo(file).isNotSameAs(file);
        assertThat(restored.statistics()).isEqualTo(file.statistics());
        assertThat(restored.partitionValues()).containsEntry("country", null);
    }

    @Test
    void transactionRoundTripsThroughFlinkViews() throws IOException {
        DeltaTransaction txn =
                new DeltaTransaction(
                        APP_ID,
                        5L,
                        List.of(
                                fileWithNullPartition("file:/t/1.parquet", null),
                                new StagedFile(
                                        "file:/t/2.parquet", 7L, 8L, Map.of(), 9L, stringStatistics(""))));

        DeltaTransaction restored = roundTrip(DeltaTransactionSerializer.INSTANCE, txn);

        assertThat(restored).isEqualTo(txn).isNotSameAs(txn);
        assertThat(restored.checkpointId()).isEqualTo(5L);
        assertThat(restored.files()).containsExactlyElementsOf(txn.files());
    }

    @Test
    void committerContextRoundTripsThroughFlinkViews() throws IOException {
        DeltaCommitterContext context = new DeltaCommitterContext(APP_ID);

        DeltaCommitterContext restored = roundTrip(DeltaCommitterContextSerializer.INSTANCE, context);

        assertThat(restored).isEqualTo(context).isNotSameAs(context);
        assertThat(restored.appId()).isEqualTo(APP_ID);
    }

    @Test
    void serializedCopyBetweenViewsKeepsTheValue() throws IOException {
        DeltaTransaction txn =
                new DeltaTransaction(APP_ID, 3L, List.of(fileWithNullPartition("file:/t/c.parquet", stringStatistics("c"))));
        DataOutputSerializer first = new DataOutputSerializer(64);
        DeltaTransactionSerializer.INSTANCE.serialize(txn, first);

        DataOutputSerializer second = new DataOutputSerializer(64);
        DeltaTransactionSerializer.INSTANCE.copy(
                new DataInputDeserializer(first.getCopyOfBuffer()), second);

        assertThat(second.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
        assertThat(
                        DeltaTransactionSerializer.INSTANCE.deserialize(
                                new DataInputDeserializer(second.getCopyOfBuffer())))
                .isEqualTo(txn);
    }

    @Test
    void copyOfATransactionIsDeep() {
        StagedFile first = fileWithNullPartition("file:/t/first.parquet", null);
        DeltaTransaction original = new DeltaTransaction(APP_ID);
        original.add(first);

        DeltaTransaction copy = DeltaTransactionSerializer.INSTANCE.copy(original);
        assertThat(copy).isNotSameAs(original).isEqualTo(original);

        copy.add(fileWithNullPartition("file:/t/second.parquet", null));

        assertThat(original.files()).as("the original is unchanged").containsExactly(first);
        assertThat(copy.files()).hasSize(2);
        assertThat(original.isSealed()).isFalse();

        copy.seal(4L);
        assertThat(original.isSealed()).as("sealing the copy does not seal the original").isFalse();
        assertThat(original.checkpointId()).isEqualTo(DeltaTransaction.UNSEALED);

        DeltaTransaction copyWithReuse =
                DeltaTransactionSerializer.INSTANCE.copy(original, new DeltaTransaction("other"));
        copyWithReuse.add(fileWithNullPartition("file:/t/third.parquet", null));
        assertThat(original.files()).containsExactly(first);
    }

    @Test
    void mutableTypeIsDeclaredMutable() {
        assertThat(DeltaTransactionSerializer.INSTANCE.isImmutableType())
                .as("DeltaTransaction is mutable; Flink must copy it")
                .isFalse();
        assertThat(StagedFileSerializer.INSTANCE.isImmutableType()).isTrue();
        assertThat(DeltaCommitterContextSerializer.INSTANCE.isImmutableType()).isTrue();
    }

    @Test
    void snapshotsRestoreEqualSerializers() throws IOException {
        assertRestoresEqualSerializer(StagedFileSerializer.INSTANCE);
        assertRestoresEqualSerializer(DeltaTransactionSerializer.INSTANCE);
        assertRestoresEqualSerializer(DeltaCommitterContextSerializer.INSTANCE);
    }

    @Test
    void snapshotsAreCompatibleAsIsWithTheCurrentSerializer() {
        assertThat(
                        StagedFileSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(StagedFileSerializer.INSTANCE.snapshotConfiguration())
                                .isCompatibleAsIs())
                .isTrue();
        assertThat(
                        DeltaTransactionSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        DeltaTransactionSerializer.INSTANCE.snapshotConfiguration())
                                .isCompatibleAsIs())
                .isTrue();
        assertThat(
                        DeltaCommitterContextSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        DeltaCommitterContextSerializer.INSTANCE.snapshotConfiguration())
                                .isCompatibleAsIs())
                .isTrue();
    }

    @Test
    void typeInfoUsesTheCodecSerializer() {
        assertThat(CommitterInputTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl()))
                .as("never Kryo for the writer-to-committer stream")
                .isSameAs(CommitterInputSerializer.INSTANCE);
    }

    @Test
    void committerInputsRoundTripThroughFlinkViews() throws IOException {
        CommitterInput file = CommitterInput.file(fileWithNullPartition("file:/t/f.parquet", stringStatistics("f")));
        CommitterInput progress = CommitterInput.progress("orders/Xq1/3", Long.MAX_VALUE);

        assertThat(roundTrip(CommitterInputSerializer.INSTANCE, file)).isEqualTo(file);
        assertThat(roundTrip(CommitterInputSerializer.INSTANCE, progress)).isEqualTo(progress);
        assertRestoresEqualSerializer(CommitterInputSerializer.INSTANCE);
    }

    @Test
    void transactionWithProgressRoundTrips() throws IOException {
        DeltaTransaction txn =
                new DeltaTransaction(
                        APP_ID,
                        9L,
                        List.of(fileWithNullPartition("file:/t/p.parquet", null)),
                        SourceProgress.of(Map.of("t/0", 0L, "t/1", 123L, "\u00e9/2", Long.MAX_VALUE)));

        DeltaTransaction restored = roundTrip(DeltaTransactionSerializer.INSTANCE, txn);

        assertThat(restored).isEqualTo(txn);
        assertThat(restored.progress().positions()).containsEntry("t/1", 123L).hasSize(3);
    }

    // ------------------------------------------------------------------------------- helpers

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T restored = serializer.deserialize(in);
        assertThat(in.available()).as("all bytes consumed").isZero();
        return restored;
    }

    private static <T> void assertRestoresEqualSerializer(TypeSerializer<T> serializer)
            throws IOException {
        TypeSerializerSnapshot<T> snapshot = serializer.snapshotConfiguration();
        assertThat(snapshot.restoreSerializer()).isEqualTo(serializer);

        // also through the snapshot's own persisted form, as a restore from a checkpoint does
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<T> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        SerializersTest.class.getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(serializer);
        assertThat(read.restoreSerializer().duplicate()).isEqualTo(serializer);
    }

    private static DataFileStatistics stringStatistics(String bound) {
        Map<Column, Literal> min = new HashMap<>();
        min.put(new Column("s"), Literal.ofString(bound));
        return new DataFileStatistics(12L, min, new HashMap<>(min), Map.of(), Optional.empty());
    }

    private static StagedFile fileWithNullPartition(String path, DataFileStatistics stats) {
        Map<String, String> partitions = new LinkedHashMap<>();
        partitions.put("event_date", "2024-01-01");
        partitions.put("country", null);
        return new StagedFile(path, 1_024L, 1_700_000_000_000L, partitions, 12L, stats);
    }
}
