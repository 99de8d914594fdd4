package io.exactlyonce.delta.sink.core;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.IntegerType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link StagedFileCodec}, {@link DeltaTransactionCodec} and {@link
 * DeltaCommitterContextCodec}: round trips of edge-case values, reading version-1 bytes built by hand
 * from the layouts documented in the codecs' Javadoc (so a silent format change breaks the test),
 * and the refusal of unknown versions.
 */
class StateCodecsTest {

    private static final String APP_ID = "3f1c2a9e-7d4b-4e8a-9c61-0b5d2e7f8a10";

    // ---------------------------------------------------------------------------- StagedFile

    @Test
    void stagedFileWithPartitionValuesIncludingNullRoundTrips() throws IOException {
        Map<String, String> partitions = new LinkedHashMap<>();
        partitions.put("event_date", "2024-01-02");
        partitions.put("country", null);
        partitions.put("région", "Île-de-France ✓");
        StagedFile file =
                new StagedFile(
                        "file:/tmp/table/event_date=2024-01-02/part-0001.parquet",
                        12_345L,
                        1_700_000_000_123L,
                        partitions,
                        42L,
                        statistics(42L, "x"));

        StagedFile restored = roundTrip(file);

        assertFileEquals(restored, file);
        assertThat(restored.partitionValues()).containsKey("country");
        assertThat(restored.partitionValues().get("country")).isNull();
        assertThat(restored.partitionValues().keySet())
                .as("partition order is kept")
                .containsExactly("event_date", "country", "région");
    }

    @Test
    void stagedFileWithoutStatsRoundTrips() throws IOException {
        StagedFile file = new StagedFile("file:/t/a.parquet", 1L, 2L, Map.of(), 3L, null);

        StagedFile restored = roundTrip(file);

        assertFileEquals(restored, file);
        assertThat(restored.statistics()).isEmpty();
        assertThat(restored.partitionValues()).isEmpty();
    }

    @Test
    void stagedFileWithStatsLongerThanWriteUtfLimitRoundTrips() throws IOException {
        String bound = longText(70_001);
        assertThat(bound.length()).isGreaterThan(70_000);
        // non-ASCII characters make the UTF-8 length exceed the char count as well
        assertThat(bound.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(65_535);
        DataFileStatistics stats = statistics(30L, bound);
        StagedFile file = new StagedFile("file:/t/b.parquet", 10L, 20L, Map.of("p", "x"), 30L, stats);

        StagedFile restored = roundTrip(file);

        assertThat(restored.statistics()).contains(stats);
        assertFileEquals(restored, file);
    }

    @Test
    void stagedFileRestoresBytesWrittenAtVersion1() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeStagedFileV1(
                out,
                "file:/tmp/t/d=2024-01-01/f-000.parquet",
                4_096L,
                1_699_999_999_000L,
                77L,
                new String[][] {{"d", "2024-01-01"}, {"n", null}},
                "{\"numRecords\":77}");
        out.flush();
        byte[] v1 = bytes.toByteArray();

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(v1));
        StagedFile file = StagedFileCodec.read(in);

        assertThat(in.available()).as("all bytes consumed").isZero();
        assertThat(file.path()).isEqualTo("file:/tmp/t/d=2024-01-01/f-000.parquet");
        assertThat(file.sizeBytes()).isEqualTo(4_096L);
        assertThat(file.modificationTime()).isEqualTo(1_699_999_999_000L);
        assertThat(file.numRecords()).isEqualTo(77L);
        assertThat(file.partitionValues().keySet()).containsExactly("d", "n");
        assertThat(file.partitionValues().get("d")).isEqualTo("2024-01-01");
        assertThat(file.partitionValues().get("n")).isNull();
        assertThat(file.statistics()).hasValueSatisfying(s -> assertRecordCountOnly(s, 77L));
    }

    /**
     * Version-1 state kept statistics as Kernel's stats JSON, whose decimals Kernel parses back as
     * doubles: the largest decimal(18,2) failed every commit. Such state restores with the record
     * count only, so a job stuck on it can upgrade and commit.
     */
    @Test
    void stagedFileOfVersion1WithDecimalEdgeStatisticsRestoresWithRecordCountOnly()
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeStagedFileV1(
                out,
                "file:/t/e.parquet",
                10L,
                20L,
                1L,
                new String[0][],
                "{\"numRecords\":1,\"minValues\":{\"amount\":9999999999999999.99},"
                        + "\"maxValues\":{\"amount\":9999999999999999.99},\"nullCount\":{\"amount\":0}}");
        out.flush();

        StagedFile file = StagedFileCodec.read(input(bytes.toByteArray()));

        assertThat(file.numRecords()).isEqualTo(1L);
        assertThat(file.statistics()).hasValueSatisfying(s -> assertRecordCountOnly(s, 1L));
    }

    @Test
    void stagedFileRestoresVersion1BytesWithoutStats() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeStagedFileV1(out, "file:/t/x.parquet", 1L, 2L, 3L, new String[0][], null);
        out.flush();

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        StagedFile file = StagedFileCodec.read(in);

        assertThat(in.available()).isZero();
        assertThat(file)
                .isEqualTo(new StagedFile("file:/t/x.parquet", 1L, 2L, Map.of(), 3L, null));
        assertThat(file.statistics()).isEmpty();
    }

    @Test
    void stagedFileStatisticsOfEveryTypeRoundTripExactly() throws IOException {
        Map<Column, Literal> min = new LinkedHashMap<>();
        Map<Column, Literal> max = new LinkedHashMap<>();
        Map<Column, Long> nulls = new LinkedHashMap<>();
        BigDecimal largest = new BigDecimal("9999999999999999.99");
        put(min, max, nulls, "amount", Literal.ofDecimal(largest.negate(), 18, 2), Literal.ofDecimal(largest, 18, 2));
        put(min, max, nulls, "d38", Literal.ofDecimal(new BigDecimal("-0.00000000000000000000000000000000000001"), 38, 38),
                Literal.ofDecimal(new BigDecimal("0.99999999999999999999999999999999999999"), 38, 38));
        put(min, max, nulls, "f", Literal.ofFloat(-0.0f), Literal.ofFloat(Float.POSITIVE_INFINITY));
        put(min, max, nulls, "g", Literal.ofDouble(-Double.MAX_VALUE), Literal.ofDouble(Double.MIN_VALUE));
        put(min, max, nulls, "b", Literal.ofBoolean(false), Literal.ofBoolean(true));
        put(min, max, nulls, "i8", Literal.ofByte(Byte.MIN_VALUE), Literal.ofByte(Byte.MAX_VALUE));
        put(min, max, nulls, "i16", Literal.ofShort(Short.MIN_VALUE), Literal.ofShort(Short.MAX_VALUE));
        put(min, max, nulls, "i32", Literal.ofInt(Integer.MIN_VALUE), Literal.ofInt(Integer.MAX_VALUE));
        put(min, max, nulls, "i64", Literal.ofLong(Long.MIN_VALUE), Literal.ofLong(Long.MAX_VALUE));
        put(min, max, nulls, "day", Literal.ofDate(-719_162), Literal.ofDate(2_932_896));
        put(min, max, nulls, "ts", Literal.ofTimestamp(-62_135_596_800_000_000L), Literal.ofTimestamp(253_402_300_799_999_999L));
        put(min, max, nulls, "ntz", Literal.ofTimestampNtz(0L), Literal.ofTimestampNtz(1L));
        put(min, max, nulls, "s", Literal.ofString(""), Literal.ofString("\uD83D\uDE00 \u0000 z"));
        put(min, max, nulls, "all_null", Literal.ofNull(IntegerType.INTEGER), Literal.ofNull(IntegerType.INTEGER));
        nulls.put(new Column("unknown_nulls"), null);
        DataFileStatistics stats = new DataFileStatistics(5L, min, max, nulls, Optional.of(true));

        StagedFile restored =
                roundTrip(new StagedFile("file:/t/s.parquet", 1L, 2L, Map.of(), 5L, stats));

        DataFileStatistics back = restored.statistics().orElseThrow();
        assertThat(back.getNumRecords()).isEqualTo(5L);
        assertThat(back.getMinValues()).isEqualTo(min);
        assertThat(back.getMaxValues()).isEqualTo(max);
        assertThat(back.getNullCount()).isEqualTo(nulls);
        assertThat(back.getTightBounds()).contains(true);
        assertThat(Float.floatToRawIntBits((Float) back.getMinValues().get(new Column("f")).getValue()))
                .as("-0.0f keeps its sign")
                .isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(back.getMaxValues().get(new Column("amount")).getValue()).isEqualTo(largest);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, -1})
    void stagedFileRejectsUnknownVersion(int version) throws IOException {
        byte[] bytes = unknownVersionBytes(version);

        assertThatThrownBy(() -> StagedFileCodec.read(input(bytes)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version " + version)
                .hasMessageContaining("staged file");
    }

    // ---------------------------------------------------------------------- DeltaTransaction

    @Test
    void transactionWithFilesRoundTrips() throws IOException {
        Map<String, String> partitions = new LinkedHashMap<>();
        partitions.put("event_date", null);
        DeltaTransaction txn =
                new DeltaTransaction(
                        APP_ID,
                        17L,
                        List.of(
                                new StagedFile("file:/t/1.parquet", 100L, 1L, partitions, 5L, null),
                                new StagedFile(
                                        "file:/t/2.parquet",
                                        200L,
                                        2L,
                                        Map.of("event_date", "2024-01-03"),
                                        6L,
                                        statistics(6L, longText(70_500)))));

        DeltaTransaction restored = roundTrip(txn);

        assertThat(restored).isEqualTo(txn);
        assertThat(restored.appId()).isEqualTo(APP_ID);
        assertThat(restored.checkpointId()).isEqualTo(17L);
        assertThat(restored.isSealed()).isTrue();
        assertThat(restored.files()).hasSize(2);
        assertFileEquals(restored.files().get(0), txn.files().get(0));
        assertFileEquals(restored.files().get(1), txn.files().get(1));
        assertThat(restored.files().get(0).partitionValues()).containsEntry("event_date", null);
    }

    @Test
    void openEmptyTransactionRoundTrips() throws IOException {
        DeltaTransaction txn = new DeltaTransaction(APP_ID);

        DeltaTransaction restored = roundTrip(txn);

        assertThat(restored.appId()).isEqualTo(APP_ID);
        assertThat(restored.checkpointId()).isEqualTo(DeltaTransaction.UNSEALED);
        assertThat(restored.isSealed()).isFalse();
        assertThat(restored.files()).isEmpty();
    }

    @Test
    void transactionRestoresBytesWrittenAtVersion1() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1); // version
        writeV1String(out, APP_ID);
        out.writeLong(9L); // checkpointId
        out.writeInt(2); // fileCount
        writeStagedFileV1(
                out,
                "file:/t/d=2024-01-01/a.parquet",
                1_000L,
                111L,
                10L,
                new String[][] {{"d", "2024-01-01"}},
                "{\"numRecords\":10}");
        writeStagedFileV1(
                out, "file:/t/d=__null/b.parquet", 2_000L, 222L, 20L, new String[][] {{"d", null}}, null);
        out.flush();

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        DeltaTransaction txn = DeltaTransactionCodec.read(in);

        assertThat(in.available()).as("all bytes consumed").isZero();
        assertThat(txn.appId()).isEqualTo(APP_ID);
        assertThat(txn.checkpointId()).isEqualTo(9L);
        assertThat(txn.isSealed()).isTrue();
        assertThat(txn.files()).hasSize(2);

        StagedFile a = txn.files().get(0);
        assertThat(a.path()).isEqualTo("file:/t/d=2024-01-01/a.parquet");
        assertThat(a.sizeBytes()).isEqualTo(1_000L);
        assertThat(a.modificationTime()).isEqualTo(111L);
        assertThat(a.numRecords()).isEqualTo(10L);
        assertThat(a.partitionValues()).containsExactly(Map.entry("d", "2024-01-01"));
        assertThat(a.statistics()).hasValueSatisfying(s -> assertRecordCountOnly(s, 10L));

        StagedFile b = txn.files().get(1);
        assertThat(b.path()).isEqualTo("file:/t/d=__null/b.parquet");
        assertThat(b.sizeBytes()).isEqualTo(2_000L);
        assertThat(b.modificationTime()).isEqualTo(222L);
        assertThat(b.numRecords()).isEqualTo(20L);
        assertThat(b.partitionValues()).containsOnlyKeys("d");
        assertThat(b.partitionValues().get("d")).isNull();
        assertThat(b.statistics()).isEmpty();

        assertThat(txn.numRecords()).isEqualTo(30L);
        assertThat(txn.sizeBytes()).isEqualTo(3_000L);
    }

    @Test
    void transactionRestoresVersion1BytesOfAnOpenTransaction() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1);
        writeV1String(out, APP_ID);
        out.writeLong(-1L); // open
        out.writeInt(0);
        out.flush();

        DeltaTransaction txn = DeltaTransactionCodec.read(input(bytes.toByteArray()));

        assertThat(txn.appId()).isEqualTo(APP_ID);
        assertThat(txn.isSealed()).isFalse();
        assertThat(txn.files()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 42})
    void transactionRejectsUnknownVersion(int version) throws IOException {
        byte[] bytes = unknownVersionBytes(version);

        assertThatThrownBy(() -> DeltaTransactionCodec.read(input(bytes)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version " + version)
                .hasMessageContaining("Delta transaction");
    }

    @Test
    void transactionRejectsAFileOfUnknownVersionInsideAVersion1Transaction() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1);
        writeV1String(out, APP_ID);
        out.writeLong(3L);
        out.writeInt(1);
        out.writeInt(3); // the nested staged file claims version 3
        writeV1String(out, "file:/t/z.parquet");
        out.flush();

        assertThatThrownBy(() -> DeltaTransactionCodec.read(input(bytes.toByteArray())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 3")
                .hasMessageContaining("staged file");
    }

    // ----------------------------------------------------------------- DeltaCommitterContext

    @Test
    void committerContextRoundTrips() throws IOException {
        DeltaCommitterContext context = DeltaCommitterContext.mint();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DeltaCommitterContextCodec.write(context, new DataOutputStream(bytes));
        DeltaCommitterContext restored = DeltaCommitterContextCodec.read(input(bytes.toByteArray()));

        assertThat(restored).isEqualTo(context);
        assertThat(restored.appId()).isEqualTo(context.appId());
    }

    @Test
    void committerContextWithVeryLongAppIdRoundTrips() throws IOException {
        String appId = "app-" + "é".repeat(40_000);
        DeltaCommitterContext context = new DeltaCommitterContext(appId);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DeltaCommitterContextCodec.write(context, new DataOutputStream(bytes));
        DeltaCommitterContext restored = DeltaCommitterContextCodec.read(input(bytes.toByteArray()));

        assertThat(restored.appId()).isEqualTo(appId);
    }

    @Test
    void committerContextRestoresBytesWrittenAtVersion1() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1);
        writeV1String(out, APP_ID);
        out.flush();

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        DeltaCommitterContext context = DeltaCommitterContextCodec.read(in);

        assertThat(in.available()).as("all bytes consumed").isZero();
        assertThat(context.appId()).isEqualTo(APP_ID);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void committerContextRejectsUnknownVersion(int version) throws IOException {
        byte[] bytes = unknownVersionBytes(version);

        assertThatThrownBy(() -> DeltaCommitterContextCodec.read(input(bytes)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version " + version)
                .hasMessageContaining("Delta committer context");
    }

    @Test
    void codecsWriteVersion1AsTheirFirstInt() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DeltaCommitterContextCodec.write(new DeltaCommitterContext(APP_ID), new DataOutputStream(bytes));

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeInt(1);
        writeV1String(out, APP_ID);
        out.flush();

        assertThat(bytes.toByteArray())
                .as("the codec still writes the documented version-1 layout")
                .isEqualTo(expected.toByteArray());
    }

    // ------------------------------------------------------------------------------- helpers

    private static StagedFile roundTrip(StagedFile file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StagedFileCodec.write(file, new DataOutputStream(bytes));
        DataInputStream in = input(bytes.toByteArray());
        StagedFile restored = StagedFileCodec.read(in);
        assertThat(in.available()).as("all bytes consumed").isZero();
        return restored;
    }

    private static DeltaTransaction roundTrip(DeltaTransaction txn) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DeltaTransactionCodec.write(txn, new DataOutputStream(bytes));
        DataInputStream in = input(bytes.toByteArray());
        DeltaTransaction restored = DeltaTransactionCodec.read(in);
        assertThat(in.available()).as("all bytes consumed").isZero();
        return restored;
    }

    /** Field by field, since {@link StagedFile#equals} is itself under test indirectly. */
    private static void assertFileEquals(StagedFile actual, StagedFile expected) {
        assertThat(actual.path()).isEqualTo(expected.path());
        assertThat(actual.sizeBytes()).isEqualTo(expected.sizeBytes());
        assertThat(actual.modificationTime()).isEqualTo(expected.modificationTime());
        assertThat(actual.numRecords()).isEqualTo(expected.numRecords());
        assertThat(actual.partitionValues()).isEqualTo(expected.partitionValues());
        assertThat(actual.statistics()).isEqualTo(expected.statistics());
        assertThat(actual).isEqualTo(expected);
    }

    private static DataInputStream input(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    /** A version int followed by plausible version-1 payload, so only the version is wrong. */
    private static byte[] unknownVersionBytes(int version) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(version);
        writeV1String(out, APP_ID);
        out.writeLong(1L);
        out.writeLong(1L);
        out.writeLong(1L);
        out.writeInt(0);
        out.writeBoolean(false);
        out.flush();
        return bytes.toByteArray();
    }

    /** A version-1 string: int byte length, then the UTF-8 bytes. */
    private static void writeV1String(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** A version-1 nullable string: bool present, then the string if present. */
    private static void writeV1NullableString(DataOutputStream out, String value)
            throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeV1String(out, value);
        }
    }

    /**
     * The version-1 staged-file layout from {@link StagedFileCodec}'s Javadoc: int version=1, string
     * path, long size, long modificationTime, long numRecords, int partitionCount, (string name, bool
     * present, [string value])*, bool hasStats, [string statsJson].
     */
    private static void writeStagedFileV1(
            DataOutputStream out,
            String path,
            long size,
            long modificationTime,
            long numRecords,
            String[][] partitions,
            String statsJson)
            throws IOException {
        out.writeInt(1);
        writeV1String(out, path);
        out.writeLong(size);
        out.writeLong(modificationTime);
        out.writeLong(numRecords);
        out.writeInt(partitions.length);
        for (String[] partition : partitions) {
            writeV1String(out, partition[0]);
            writeV1NullableString(out, partition[1]);
        }
        writeV1NullableString(out, statsJson);
    }

    /** Text of at least {@code minChars} characters, partly non-ASCII. */
    private static String longText(int minChars) {
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (text.length() < minChars) {
            text.append("välue-").append(i++).append(',');
        }
        return text.toString();
    }

    /** Statistics of one string column {@code s} whose min and max are {@code bound}. */
    private static DataFileStatistics statistics(long numRecords, String bound) {
        Map<Column, Literal> min = new LinkedHashMap<>();
        Map<Column, Literal> max = new LinkedHashMap<>();
        Map<Column, Long> nulls = new LinkedHashMap<>();
        put(min, max, nulls, "s", Literal.ofString(bound), Literal.ofString(bound));
        return new DataFileStatistics(numRecords, min, max, nulls, Optional.empty());
    }

    private static void put(
            Map<Column, Literal> min,
            Map<Column, Literal> max,
            Map<Column, Long> nulls,
            String column,
            Literal low,
            Literal high) {
        min.put(new Column(column), low);
        max.put(new Column(column), high);
        nulls.put(new Column(column), (long) column.length());
    }

    private static void assertRecordCountOnly(DataFileStatistics stats, long numRecords) {
        assertThat(stats.getNumRecords()).isEqualTo(numRecords);
        assertThat(stats.getMinValues()).isEmpty();
        assertThat(stats.getMaxValues()).isEmpty();
        assertThat(stats.getNullCount()).isEmpty();
    }
}
