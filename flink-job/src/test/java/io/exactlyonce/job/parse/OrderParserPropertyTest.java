package io.exactlyonce.job.parse;

import io.exactlyonce.delta.sink.core.CommitResult;
import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.read.DeltaTableScanner;
import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.rowdata.RowDataDeltaWriter;
import io.exactlyonce.job.OrderSchema;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.apache.flink.table.data.GenericRowData;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: every record the job's parser accepts can be committed to the orders table and reads
 * back with the values the parser produced — no accepted value can wedge the sink — and every
 * record it refuses gets a short, non-empty reason.
 *
 * <p>Records are generated JSON objects whose fields are present, absent, null or of the wrong
 * type, in any order, with edge values: ids over every Unicode plane (surrogate pairs, control
 * characters, escapes, unpaired surrogate escapes), amounts at the edges of {@code decimal(18,2)}
 * written as numbers, exponents and strings, event times from the first to the last instant Java
 * parses. Seeded; {@code -Djqwik.tries.default=N} runs more batches.
 */
class OrderParserPropertyTest {

    private static final long FIRST_SECOND = LocalDate.of(1, 1, 1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    private static final long LAST_SECOND = LocalDate.of(9999, 12, 31).atStartOfDay().toEpochSecond(ZoneOffset.UTC) + 86_399;
    private static final StructType SCHEMA = DeltaSchemaConverter.toDeltaSchema(OrderSchema.ORDERS);

    private static Path root;
    private static Engine engine;
    private static final AtomicInteger TABLES = new AtomicInteger();

    @BeforeContainer
    static void setUp() throws IOException {
        root = Files.createTempDirectory("parser-domain");
        engine = KernelEngines.create(Map.of());
    }

    @AfterContainer
    static void tearDown() throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @Property(seed = "20261127")
    void everyAcceptedOrderIsCommittableAndReadsBackAsParsed(@ForAll("records") List<String> records)
            throws Exception {
        OrderParser parser = new OrderParser(1 << 20, 256);
        Map<Long, GenericRowData> accepted = new HashMap<>();
        long offset = 0;
        for (String json : records) {
            GenericRowData row =
                    parser.parse(json.getBytes(StandardCharsets.UTF_8), "orders", 0, offset, 1_700_000_000_000L);
            if (row == null) {
                assertThat(parser.error()).as("reason for %s", json).isNotBlank();
                assertThat(parser.error().length()).as("reason length for %s", json).isLessThan(400);
            } else {
                accepted.put(offset, row);
            }
            offset++;
        }
        if (accepted.isEmpty()) {
            return;
        }
        String table = root.resolve("t" + TABLES.incrementAndGet()).toUri().toString();
        Snapshot created =
                DeltaTableBootstrap.ensureTable(engine, table, SCHEMA, OrderSchema.ORDERS_PARTITION_COLUMNS, Map.of());
        try (RowDataDeltaWriter writer =
                new RowDataDeltaWriter(
                        engine,
                        created.buildUpdateTableTransaction("test", Operation.WRITE).build(engine).getTransactionState(engine),
                        OrderSchema.ORDERS,
                        SCHEMA,
                        OrderSchema.ORDERS_PARTITION_COLUMNS,
                        16,
                        4,
                        "parser-property")) {
            for (GenericRowData row : accepted.values()) {
                writer.write(row);
            }
            DeltaTransaction txn = new DeltaTransaction("app", 1, writer.flush());
            CommitResult result =
                    new DeltaCommitter(engine, table, SCHEMA, OrderSchema.ORDERS_PARTITION_COLUMNS, CommitRetryPolicy.defaults())
                            .commit(txn);
            assertThat(result.status()).isEqualTo(CommitResult.Status.COMMITTED);
        }

        List<String> columns = List.of("order_id", "customer_id", "amount", "currency", "event_time", "_kafka_offset", "event_date");
        Map<Long, List<Object>> read = new HashMap<>();
        new DeltaTableScanner(table, Map.of())
                .scan(
                        columns,
                        r -> {
                            List<Object> values = new ArrayList<>();
                            values.add(r.getString(0));
                            values.add(r.isNullAt(1) ? null : r.getString(1));
                            values.add(r.isNullAt(2) ? null : r.getDecimal(2));
                            values.add(r.isNullAt(3) ? null : r.getString(3));
                            values.add(r.getLong(4));
                            values.add(r.getInt(6));
                            read.put(r.getLong(5), values);
                        });
        assertThat(read.keySet()).isEqualTo(accepted.keySet());
        for (Map.Entry<Long, GenericRowData> e : accepted.entrySet()) {
            GenericRowData row = e.getValue();
            List<Object> back = read.get(e.getKey());
            String id = row.getString(OrderSchema.ORDER_ID).toString();
            assertThat(escape((String) back.get(0))).as("order_id").isEqualTo(escape(id));
            assertThat(isValidUnicode(id)).as("order_id is valid Unicode: %s", id).isTrue();
            assertThat(back.get(1))
                    .as("customer_id")
                    .isEqualTo(row.isNullAt(OrderSchema.CUSTOMER_ID) ? null : row.getString(OrderSchema.CUSTOMER_ID).toString());
            assertThat(back.get(2))
                    .as("amount")
                    .isEqualTo(row.isNullAt(OrderSchema.AMOUNT)
                            ? null
                            : row.getDecimal(OrderSchema.AMOUNT, 18, 2).toBigDecimal());
            long micros = row.getTimestamp(OrderSchema.EVENT_TIME, 6).getMillisecond() * 1000
                    + row.getTimestamp(OrderSchema.EVENT_TIME, 6).getNanoOfMillisecond() / 1000;
            assertThat(back.get(4)).as("event_time").isEqualTo(micros);
            assertThat(back.get(5)).as("event_date").isEqualTo((int) Math.floorDiv(micros, 86_400_000_000L));
            assertThat(Math.floorDiv(micros, 1_000_000L)).as("event_time within Delta's years 0001-9999").isBetween(FIRST_SECOND, LAST_SECOND);
        }
    }

    // ----------------------------------------------------------------------------- domain

    @Provide
    Arbitrary<List<String>> records() {
        Arbitrary<String> field =
                Arbitraries.oneOf(
                        member("order_id", Arbitraries.frequencyOf(
                                Tuple.of(8, jsonString(text())),
                                Tuple.of(1, Arbitraries.just("\"\"")),
                                Tuple.of(1, wrongType()))),
                        member("customer_id", Arbitraries.frequencyOf(
                                Tuple.of(8, jsonString(text())), Tuple.of(1, Arbitraries.just("null")), Tuple.of(1, wrongType()))),
                        member("amount", amounts()),
                        member("currency", Arbitraries.frequencyOf(
                                Tuple.of(6, Arbitraries.strings().withCharRange('A', 'Z').ofLength(3).map(s -> "\"" + s + "\"")),
                                Tuple.of(1, jsonString(text())),
                                Tuple.of(1, Arbitraries.just("null")))),
                        member("event_time", Arbitraries.frequencyOf(
                                Tuple.of(8, instants().map(i -> "\"" + i + "\"")),
                                Tuple.of(1, jsonString(text())),
                                Tuple.of(1, wrongType()))),
                        member("extra", wrongType()));
        Arbitrary<String> object = field.list().ofMaxSize(8).map(fields -> "{" + String.join(",", fields) + "}");
        Arbitrary<String> order =
                Combinators.combine(jsonString(text()), amounts(), instants(), field.list().ofMaxSize(2))
                        .as((id, amount, time, more) -> {
                            StringBuilder b = new StringBuilder("{\"order_id\":").append(id)
                                    .append(",\"amount\":").append(amount)
                                    .append(",\"currency\":\"EUR\",\"event_time\":\"").append(time).append('"');
                            more.forEach(m -> b.append(',').append(m));
                            return b.append('}').toString();
                        });
        return Arbitraries.frequencyOf(Tuple.of(3, order), Tuple.of(1, object)).list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<String> member(String name, Arbitrary<String> value) {
        return value.map(v -> "\"" + name + "\":" + v);
    }

    private static Arbitrary<String> wrongType() {
        return Arbitraries.of("1", "-0.5", "true", "false", "null", "[]", "{}", "[1,\"a\"]", "{\"x\":{}}");
    }

    /** Text over every plane: literal characters, JSON escapes, and unpaired surrogate escapes. */
    private static Arbitrary<String> text() {
        Arbitrary<String> codePoint =
                Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                        Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                        Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                        Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)))
                        .map(cp -> cp == '"' || cp == '\\' ? "\\" + (char) (int) cp : new String(Character.toChars(cp)));
        Arbitrary<String> escape =
                Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.integers().between(0, 0x1F).map(c -> String.format("\\u%04x", c))),
                        Tuple.of(1, Arbitraries.integers().between(0xD800, 0xDFFF).map(c -> String.format("\\u%04X", c))),
                        Tuple.of(2, Arbitraries.of("\\n", "\\t", "\\\"", "\\\\", "\\/", "\\ud83d\\ude00")));
        return Arbitraries.frequencyOf(Tuple.of(9, codePoint), Tuple.of(1, escape))
                .list()
                .ofMaxSize(60)
                .map(parts -> String.join("", parts));
    }

    private static Arbitrary<String> jsonString(Arbitrary<String> escapedText) {
        return escapedText.map(t -> "\"" + t + "\"");
    }

    private static Arbitrary<String> amounts() {
        BigInteger limit = BigInteger.TEN.pow(18).subtract(BigInteger.ONE);
        Arbitrary<BigDecimal> inRange =
                Arbitraries.frequencyOf(
                                Tuple.of(5, Arbitraries.bigIntegers().between(limit.negate(), limit)),
                                Tuple.of(2, Arbitraries.of(limit, limit.negate(), BigInteger.ZERO, BigInteger.ONE)))
                        .map(u -> new BigDecimal(u, 2));
        return Arbitraries.frequencyOf(
                Tuple.of(5, inRange.map(BigDecimal::toPlainString)),
                Tuple.of(2, inRange.map(d -> "\"" + d.toPlainString() + "\"")),
                Tuple.of(2, inRange.map(d -> d.stripTrailingZeros().toString())),
                Tuple.of(1, inRange.map(d -> d.toPlainString() + "000")),
                Tuple.of(1, Arbitraries.of("1e2", "1E-2", "-0", "0.0001", "1.005", "1e400", "-1e-400",
                        "100000000000000000", "9999999999999999.999", "\"1e1000000000\"", "\"NaN\"",
                        "\"\"", "\" 1\"", "null")));
    }

    private static Arbitrary<String> instants() {
        Arbitrary<Long> seconds =
                Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.longs().between(FIRST_SECOND, LAST_SECOND)),
                        Tuple.of(2, Arbitraries.of(FIRST_SECOND, LAST_SECOND, 0L, -1L, FIRST_SECOND - 1, LAST_SECOND + 1)),
                        Tuple.of(1, Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())));
        return Combinators.combine(seconds, Arbitraries.integers().between(0, 999_999_999))
                .as((s, n) -> Instant.ofEpochSecond(s, n).toString());
    }

    /** The text with every non-ASCII or control character as a \\uXXXX escape, for messages. */
    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04X", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean isValidUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
