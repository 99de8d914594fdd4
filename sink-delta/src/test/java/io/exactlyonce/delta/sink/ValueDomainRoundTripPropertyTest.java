package io.exactlyonce.delta.sink;

import io.exactlyonce.delta.sink.core.CommitResult;
import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.ScanFileRows;
import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.flink.DeltaTransactionSerializer;
import io.exactlyonce.delta.sink.flink.StagedFileSerializer;
import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.rowdata.RowDataDeltaWriter;
import io.exactlyonce.delta.sink.testutil.DeltaTableReader;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TinyIntType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: every value the sink accepts, in every column type it accepts, goes through the real
 * writer (Kernel's Parquet writer and its file statistics), every state codec and Flink serializer
 * on the way (writer → committer edge, committer checkpoint state), a real Delta commit, and reads
 * back through Kernel equal to the input — and a Kernel scan filtered on {@code column = value}
 * (data skipping on) still returns the file holding that value, so no written min/max hides a row.
 *
 * <p>Generated values include the edges of each type: the largest and smallest decimal of each
 * precision/scale (int-, long- and binary-backed in Parquet), trailing zeros, min/max of every
 * integer type, ±0.0, NaN and ±Infinity, the first and last day and microsecond Delta allows,
 * empty strings, strings over every Unicode plane (surrogate pairs included), strings and binaries
 * of 1 MiB, and nulls. Seeded; {@code -Djqwik.tries.default=N} runs more tables.
 */
class ValueDomainRoundTripPropertyTest {

    private static final String[] NAMES = {
        "k", "b", "i8", "i16", "i32", "i64", "f", "d", "s", "bin", "day", "ts",
        "dec_9_4", "dec_18_2", "dec_38_0", "dec_38_38", "dec_1_0"
    };

    private static final RowType ROW_TYPE =
            RowType.of(
                    new LogicalType[] {
                        new BigIntType(false),
                        new BooleanType(),
                        new TinyIntType(),
                        new SmallIntType(),
                        new IntType(),
                        new BigIntType(),
                        new FloatType(),
                        new DoubleType(),
                        new VarCharType(VarCharType.MAX_LENGTH),
                        new VarBinaryType(VarBinaryType.MAX_LENGTH),
                        new DateType(),
                        new LocalZonedTimestampType(6),
                        new DecimalType(9, 4),
                        new DecimalType(18, 2),
                        new DecimalType(38, 0),
                        new DecimalType(38, 38),
                        new DecimalType(1, 0)
                    },
                    NAMES);

    private static final int FIRST_DAY = (int) LocalDate.of(1, 1, 1).toEpochDay();
    private static final int LAST_DAY = (int) LocalDate.of(9999, 12, 31).toEpochDay();
    private static final long FIRST_MICROS = FIRST_DAY * 86_400_000_000L;
    private static final long LAST_MICROS = (LAST_DAY + 1L) * 86_400_000_000L - 1;
    private static final int MIB = 1 << 20;

    private static Path root;
    private static Engine engine;
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final StructType SCHEMA = DeltaSchemaConverter.toDeltaSchema(ROW_TYPE);

    @BeforeContainer
    static void setUp() throws IOException {
        root = Files.createTempDirectory("value-domain");
        engine = KernelEngines.create(Map.of());
    }

    @AfterContainer
    static void tearDown() throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @Property(seed = "20261127")
    void everyAcceptedValueIsCommittedExactlyAndFoundByDataSkipping(
            @ForAll("tables") List<List<Object[]>> checkpointGroups) throws Exception {
        String table = root.resolve("t" + TABLES.incrementAndGet()).toUri().toString();
        Snapshot created = DeltaTableBootstrap.ensureTable(engine, table, SCHEMA, List.of(), Map.of());
        DeltaCommitter committer =
                new DeltaCommitter(engine, table, SCHEMA, List.of(), CommitRetryPolicy.defaults());

        Map<Long, Object[]> expected = new HashMap<>();
        Map<Long, List<String>> filesOfRow = new HashMap<>();
        long checkpoint = 0;
        long key = 0;
        try (RowDataDeltaWriter writer =
                new RowDataDeltaWriter(
                        engine,
                        created.buildUpdateTableTransaction("test", Operation.WRITE)
                                .build(engine)
                                .getTransactionState(engine),
                        ROW_TYPE,
                        SCHEMA,
                        List.of(),
                        7,
                        4,
                        "property-writer")) {
            for (List<Object[]> group : checkpointGroups) {
                List<Long> keys = new ArrayList<>();
                for (Object[] values : group) {
                    long k = key++;
                    values[0] = k;
                    expected.put(k, values);
                    keys.add(k);
                    writer.write(toRowData(values));
                }
                // the writer -> committer edge and the committer's checkpoint state
                List<StagedFile> staged = new ArrayList<>();
                for (StagedFile file : writer.flush()) {
                    StagedFile shipped = viaSerializer(StagedFileSerializer.INSTANCE, file);
                    assertThat(shipped).isEqualTo(file);
                    staged.add(shipped);
                }
                DeltaTransaction txn = new DeltaTransaction("app", ++checkpoint, staged);
                DeltaTransaction restored = viaSerializer(DeltaTransactionSerializer.INSTANCE, txn);
                assertThat(restored).isEqualTo(txn);

                CommitResult result = committer.commit(restored);

                assertThat(result.status())
                        .isEqualTo(staged.isEmpty() ? CommitResult.Status.EMPTY : CommitResult.Status.COMMITTED);
                List<String> paths = staged.stream().map(StagedFile::path).map(p -> p.substring(p.lastIndexOf('/') + 1)).toList();
                for (long k : keys) {
                    filesOfRow.put(k, paths);
                }
            }
        }

        assertReadBackEquals(table, expected);
        assertDataSkippingKeepsEveryBoundary(table, expected, filesOfRow);
    }

    // ------------------------------------------------------------------------------ checks

    private static void assertReadBackEquals(String table, Map<Long, Object[]> expected) {
        List<Map<String, Object>> rows = new DeltaTableReader(table).rows();
        assertThat(rows).hasSize(expected.size());
        for (Map<String, Object> row : rows) {
            Object[] want = expected.get((Long) row.get("k"));
            assertThat(want).as("row %s was written", row.get("k")).isNotNull();
            for (int c = 0; c < NAMES.length; c++) {
                assertThat(normalize(row.get(NAMES[c])))
                        .as("column %s of row %s", NAMES[c], row.get("k"))
                        .isEqualTo(normalize(want[c]));
            }
        }
    }

    /**
     * For every column, the rows holding its smallest and largest value (where readers compare a
     * filter with the written min/max) and one arbitrary row: {@code column = value} must keep
     * the row's file.
     */
    private static void assertDataSkippingKeepsEveryBoundary(
            String table, Map<Long, Object[]> expected, Map<Long, List<String>> filesOfRow) {
        Snapshot snapshot = TableManager.loadSnapshot(table).build(engine);
        for (int c = 1; c < NAMES.length; c++) {
            Set<Long> probes = new HashSet<>();
            Long min = null;
            Long max = null;
            for (Map.Entry<Long, Object[]> e : expected.entrySet()) {
                Object v = e.getValue()[c];
                if (v == null || isNaN(v)) {
                    continue;
                }
                if (min == null || compare(v, expected.get(min)[c]) < 0) {
                    min = e.getKey();
                }
                if (max == null || compare(v, expected.get(max)[c]) > 0) {
                    max = e.getKey();
                }
                if (probes.isEmpty()) {
                    probes.add(e.getKey());
                }
            }
            if (min == null) {
                continue;
            }
            probes.add(min);
            probes.add(max);
            for (long k : probes) {
                Object value = expected.get(k)[c];
                Set<String> kept = filesMatching(snapshot, new Predicate("=", new Column(NAMES[c]), literal(c, value)));
                assertThat(kept)
                        .as("files kept by %s = %s (row %s)", NAMES[c], describe(value), k)
                        .containsAll(filesOfRow.get(k));
            }
        }
    }

    private static Set<String> filesMatching(Snapshot snapshot, Predicate filter) {
        Set<String> names = new HashSet<>();
        try (CloseableIterator<FilteredColumnarBatch> files =
                snapshot.getScanBuilder().withFilter(filter).build().getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> rows = files.next().getRows()) {
                    while (rows.hasNext()) {
                        String path = ScanFileRows.path(ScanFileRows.add(rows.next()));
                        names.add(path.substring(path.lastIndexOf('/') + 1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    // ----------------------------------------------------------------------------- domain

    @Provide
    Arbitrary<List<List<Object[]>>> tables() {
        Arbitrary<Object[]> row =
                Combinators.combine(
                                List.of(
                                        Arbitraries.just(0L).map(Object.class::cast),
                                        nullable(Arbitraries.of(true, false)),
                                        nullable(Arbitraries.bytes()),
                                        nullable(Arbitraries.shorts()),
                                        nullable(Arbitraries.integers()),
                                        nullable(Arbitraries.longs()),
                                        nullable(floats()),
                                        nullable(doubles()),
                                        nullable(strings()),
                                        nullable(binaries()),
                                        nullable(Arbitraries.integers().between(FIRST_DAY, LAST_DAY)),
                                        nullable(Arbitraries.longs().between(FIRST_MICROS, LAST_MICROS)),
                                        nullable(decimals(9, 4)),
                                        nullable(decimals(18, 2)),
                                        nullable(decimals(38, 0)),
                                        nullable(decimals(38, 38)),
                                        nullable(decimals(1, 0))))
                        .as(values -> values.toArray(new Object[0]));
        return row.list().ofMaxSize(30).list().ofMinSize(1).ofMaxSize(3);
    }

    private static Arbitrary<Object> nullable(Arbitrary<?> values) {
        return values.map(Object.class::cast).injectNull(0.1);
    }

    private static Arbitrary<Float> floats() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.floats()),
                net.jqwik.api.Tuple.of(1, Arbitraries.floats().between(-1e30f, 1e30f)),
                net.jqwik.api.Tuple.of(
                        3,
                        Arbitraries.of(
                                0.0f, -0.0f, Float.NaN, Float.POSITIVE_INFINITY,
                                Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
                                Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL)));
    }

    private static Arbitrary<Double> doubles() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.doubles()),
                net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(-1e300, 1e300)),
                net.jqwik.api.Tuple.of(
                        3,
                        Arbitraries.of(
                                0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                                Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE,
                                Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL)));
    }

    /** Valid Unicode text: any code point of any plane except lone surrogates. */
    private static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoint =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 0x7F)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        Arbitrary<String> text =
                codePoint.list().ofMaxSize(300).map(ValueDomainRoundTripPropertyTest::fromCodePoints);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(40, text),
                net.jqwik.api.Tuple.of(3, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(
                        1, codePoint.map(cp -> fromCodePoints(List.of(cp)).repeat(MIB / 4))));
    }

    private static Arbitrary<byte[]> binaries() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(40, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().map(b -> filled(MIB, b))));
    }

    private static Arbitrary<BigDecimal> decimals(int precision, int scale) {
        BigInteger limit = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
        Arbitrary<BigInteger> unscaled =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.bigIntegers().between(limit.negate(), limit)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.of(limit, limit.negate(), BigInteger.ZERO)),
                        // trailing zeros: a multiple of a power of ten
                        net.jqwik.api.Tuple.of(
                                2,
                                Arbitraries.bigIntegers()
                                        .between(limit.divide(BigInteger.valueOf(1000)).negate(), limit.divide(BigInteger.valueOf(1000)))
                                        .map(v -> v.multiply(BigInteger.valueOf(1000)))));
        return unscaled.map(u -> new BigDecimal(u, scale));
    }

    // ----------------------------------------------------------------------------- helpers

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder b = new StringBuilder();
        codePoints.forEach(b::appendCodePoint);
        return b.toString();
    }

    private static byte[] filled(int size, byte value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static GenericRowData toRowData(Object[] v) {
        GenericRowData row = new GenericRowData(v.length);
        for (int c = 0; c < v.length; c++) {
            Object value = v[c];
            if (value == null) {
                continue;
            }
            LogicalType type = ROW_TYPE.getTypeAt(c);
            if (value instanceof String) {
                value = StringData.fromString((String) value);
            } else if (value instanceof BigDecimal) {
                DecimalType d = (DecimalType) type;
                value = DecimalData.fromBigDecimal((BigDecimal) value, d.getPrecision(), d.getScale());
            } else if (type instanceof LocalZonedTimestampType) {
                long micros = (Long) value;
                value =
                        TimestampData.fromEpochMillis(
                                Math.floorDiv(micros, 1000), (int) Math.floorMod(micros, 1000) * 1000);
            }
            row.setField(c, value);
        }
        return row;
    }

    private static Literal literal(int c, Object v) {
        LogicalType type = ROW_TYPE.getTypeAt(c);
        if (type instanceof BooleanType) {
            return Literal.ofBoolean((Boolean) v);
        } else if (type instanceof TinyIntType) {
            return Literal.ofByte((Byte) v);
        } else if (type instanceof SmallIntType) {
            return Literal.ofShort((Short) v);
        } else if (type instanceof IntType) {
            return Literal.ofInt((Integer) v);
        } else if (type instanceof BigIntType) {
            return Literal.ofLong((Long) v);
        } else if (type instanceof FloatType) {
            return Literal.ofFloat((Float) v);
        } else if (type instanceof DoubleType) {
            return Literal.ofDouble((Double) v);
        } else if (type instanceof VarCharType) {
            return Literal.ofString((String) v);
        } else if (type instanceof VarBinaryType) {
            return Literal.ofBinary((byte[]) v);
        } else if (type instanceof DateType) {
            return Literal.ofDate((Integer) v);
        } else if (type instanceof LocalZonedTimestampType) {
            return Literal.ofTimestamp((Long) v);
        }
        DecimalType d = (DecimalType) type;
        return Literal.ofDecimal((BigDecimal) v, d.getPrecision(), d.getScale());
    }

    /** Values in a comparable form: floats by bits (NaN, -0.0), binaries by content. */
    private static Object normalize(Object v) {
        if (v instanceof Float) {
            return "float:" + Float.floatToIntBits((Float) v);
        }
        if (v instanceof Double) {
            return "double:" + Double.doubleToLongBits((Double) v);
        }
        if (v instanceof byte[]) {
            return "binary:" + Arrays.toString((byte[]) v);
        }
        return v;
    }

    private static boolean isNaN(Object v) {
        return v instanceof Float && ((Float) v).isNaN() || v instanceof Double && ((Double) v).isNaN();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a instanceof byte[]) {
            return Arrays.compareUnsigned((byte[]) a, (byte[]) b);
        }
        if (a instanceof String) {
            // Delta orders strings by their UTF-8 bytes (code point order)
            return Arrays.compareUnsigned(
                    ((String) a).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    ((String) b).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return ((Comparable) a).compareTo(b);
    }

    private static String describe(Object v) {
        String text = v instanceof byte[] ? "binary[" + ((byte[]) v).length + "]" : String.valueOf(v);
        return text.length() > 80 ? text.substring(0, 80) + "…(" + text.length() + " chars)" : text;
    }

    private static <T> T viaSerializer(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
