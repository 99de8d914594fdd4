package io.exactlyonce.job.parse;

import io.exactlyonce.job.OrderSchema;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Tests for {@link OrderParser}. */
class OrderParserTest {

    private static final int MAX_BYTES = 1024;
    private static final int MAX_ID_BYTES = 64;
    private static final String TOPIC = "orders";
    private static final int PARTITION = 3;
    private static final long OFFSET = 42L;
    private static final long KAFKA_TS = 1_709_288_130_999L; // 2024-03-01T10:15:30.999Z

    /** 2024-03-01 as days since the epoch. */
    private static final int MARCH_1_2024 = 19783;

    private final OrderParser parser = new OrderParser(MAX_BYTES, MAX_ID_BYTES);

    // ---------------------------------------------------------------- helpers

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private GenericRowData parse(String json) {
        return parser.parse(bytes(json), TOPIC, PARTITION, OFFSET, KAFKA_TS);
    }

    /** A valid order with the given amount JSON value (verbatim, e.g. {@code 12.5} or {@code "12.5"}). */
    private static String orderWithAmount(String amountJson) {
        return "{\"order_id\":\"o-1\",\"amount\":" + amountJson + ",\"event_time\":\"2024-03-01T10:15:30Z\"}";
    }

    private static String orderWithEventTime(String eventTimeJson) {
        return "{\"order_id\":\"o-1\",\"event_time\":" + eventTimeJson + "}";
    }

    private static long micros(TimestampData ts) {
        return ts.getMillisecond() * 1_000L + ts.getNanoOfMillisecond() / 1_000;
    }

    private static DecimalData decimal(String value) {
        return DecimalData.fromBigDecimal(
                new BigDecimal(value), OrderSchema.AMOUNT_PRECISION, OrderSchema.AMOUNT_SCALE);
    }

    private void assertRejected(String json, String phrase) {
        assertRejected(bytes(json), phrase);
    }

    private void assertRejected(byte[] value, String phrase) {
        GenericRowData row = parser.parse(value, TOPIC, PARTITION, OFFSET, KAFKA_TS);
        assertThat(row).as("row for rejected input").isNull();
        assertThat(parser.error()).as("error for rejected input").isNotNull().contains(phrase);
    }

    // ---------------------------------------------------------------- valid orders

    @Test
    void validOrderYieldsEveryField() {
        GenericRowData row =
                parse("{\"order_id\":\"o-1\",\"customer_id\":\"c-7\",\"amount\":12.5,\"currency\":\"EUR\","
                        + "\"event_time\":\"2024-03-01T10:15:30.123456Z\"}");

        assertThat(parser.error()).isNull();
        assertThat(row).isNotNull();
        assertThat(row.getArity()).isEqualTo(OrderSchema.ORDERS.getFieldCount());
        assertThat(row.getString(OrderSchema.ORDER_ID)).isEqualTo(StringData.fromString("o-1"));
        assertThat(row.getString(OrderSchema.CUSTOMER_ID)).isEqualTo(StringData.fromString("c-7"));

        DecimalData amount = row.getDecimal(OrderSchema.AMOUNT, 18, 2);
        assertThat(amount.precision()).isEqualTo(18);
        assertThat(amount.scale()).isEqualTo(2);
        assertThat(amount.toBigDecimal()).isEqualTo(new BigDecimal("12.50"));
        assertThat(amount).isEqualTo(decimal("12.50"));

        assertThat(row.getString(OrderSchema.CURRENCY)).isEqualTo(StringData.fromString("EUR"));

        TimestampData eventTime = row.getTimestamp(OrderSchema.EVENT_TIME, 6);
        assertThat(micros(eventTime)).isEqualTo(1_709_288_130_123_456L);
        assertThat(eventTime.toInstant()).isEqualTo(Instant.parse("2024-03-01T10:15:30.123456Z"));

        assertThat(row.getString(OrderSchema.KAFKA_TOPIC)).isEqualTo(StringData.fromString(TOPIC));
        assertThat(row.getInt(OrderSchema.KAFKA_PARTITION)).isEqualTo(PARTITION);
        assertThat(row.getLong(OrderSchema.KAFKA_OFFSET)).isEqualTo(OFFSET);
        assertThat(row.getTimestamp(OrderSchema.KAFKA_TIMESTAMP, 3))
                .isEqualTo(TimestampData.fromEpochMillis(KAFKA_TS));
        assertThat(row.getTimestamp(OrderSchema.KAFKA_TIMESTAMP, 3).getMillisecond()).isEqualTo(KAFKA_TS);

        assertThat(row.getInt(OrderSchema.EVENT_DATE)).isEqualTo(MARCH_1_2024);
        assertThat(row.getInt(OrderSchema.EVENT_DATE))
                .isEqualTo((int) LocalDate.of(2024, 3, 1).toEpochDay());
    }

    @Test
    void eventDateIsTheUtcDate() {
        GenericRowData beforeMidnight = parse(orderWithEventTime("\"2024-02-29T23:59:59.999999Z\""));
        assertThat(beforeMidnight).isNotNull();
        assertThat(beforeMidnight.getInt(OrderSchema.EVENT_DATE)).isEqualTo(MARCH_1_2024 - 1);
        assertThat(micros(beforeMidnight.getTimestamp(OrderSchema.EVENT_TIME, 6)))
                .isEqualTo(1_709_251_199_999_999L);

        GenericRowData atMidnight = parse(orderWithEventTime("\"2024-03-01T00:00:00Z\""));
        assertThat(atMidnight).isNotNull();
        assertThat(atMidnight.getInt(OrderSchema.EVENT_DATE)).isEqualTo(MARCH_1_2024);

        GenericRowData beforeEpoch = parse(orderWithEventTime("\"1969-12-31T23:59:59.999999Z\""));
        assertThat(beforeEpoch).isNotNull();
        assertThat(beforeEpoch.getInt(OrderSchema.EVENT_DATE)).isEqualTo(-1);
        assertThat(micros(beforeEpoch.getTimestamp(OrderSchema.EVENT_TIME, 6))).isEqualTo(-1L);
    }

    @Test
    void offsetEventTimeIsAcceptedAndItsUtcDateUsed() {
        // Instant.parse (ISO_INSTANT) accepts offsets since JDK 12; 01:30+02:00 is 23:30Z the day before.
        GenericRowData row = parse(orderWithEventTime("\"2024-03-01T01:30:00+02:00\""));

        assertThat(parser.error()).isNull();
        assertThat(row).isNotNull();
        assertThat(row.getTimestamp(OrderSchema.EVENT_TIME, 6).toInstant())
                .isEqualTo(Instant.parse("2024-02-29T23:30:00Z"));
        assertThat(row.getInt(OrderSchema.EVENT_DATE)).isEqualTo(MARCH_1_2024 - 1);
    }

    @Test
    void unknownFieldsAreIgnored() {
        GenericRowData row =
                parse("{\"extra\":1,\"nested\":{\"order_id\":\"inner\",\"a\":[1,{\"b\":null}]},"
                        + "\"order_id\":\"o-1\",\"list\":[\"x\",[true,false],{\"event_time\":5}],"
                        + "\"flag\":true,\"nothing\":null,\"event_time\":\"2024-03-01T10:15:30Z\",\"s\":\"t\"}");

        assertThat(parser.error()).isNull();
        assertThat(row).isNotNull();
        assertThat(row.getString(OrderSchema.ORDER_ID)).isEqualTo(StringData.fromString("o-1"));
        assertThat(row.getTimestamp(OrderSchema.EVENT_TIME, 6).toInstant())
                .isEqualTo(Instant.parse("2024-03-01T10:15:30Z"));
    }

    @Test
    void optionalFieldsMayBeNullOrAbsent() {
        GenericRowData nulls =
                parse("{\"order_id\":\"o-1\",\"customer_id\":null,\"amount\":null,\"currency\":null,"
                        + "\"event_time\":\"2024-03-01T10:15:30Z\"}");
        assertThat(parser.error()).isNull();
        assertThat(nulls).isNotNull();
        assertThat(nulls.isNullAt(OrderSchema.CUSTOMER_ID)).isTrue();
        assertThat(nulls.isNullAt(OrderSchema.AMOUNT)).isTrue();
        assertThat(nulls.isNullAt(OrderSchema.CURRENCY)).isTrue();

        GenericRowData absent = parse(orderWithEventTime("\"2024-03-01T10:15:30Z\""));
        assertThat(absent).isNotNull();
        assertThat(absent.isNullAt(OrderSchema.CUSTOMER_ID)).isTrue();
        assertThat(absent.isNullAt(OrderSchema.AMOUNT)).isTrue();
        assertThat(absent.isNullAt(OrderSchema.CURRENCY)).isTrue();
    }

    @Test
    void amountAsNumericStringIsAccepted() {
        GenericRowData row = parse(orderWithAmount("\"12.5\""));
        assertThat(parser.error()).isNull();
        assertThat(row).isNotNull();
        assertThat(row.getDecimal(OrderSchema.AMOUNT, 18, 2)).isEqualTo(decimal("12.50"));
    }

    @Test
    void amountWithTrailingZeroBeyondTwoDecimalsIsAccepted() {
        GenericRowData row = parse(orderWithAmount("1.500"));
        assertThat(parser.error()).isNull();
        assertThat(row).isNotNull();
        assertThat(row.getDecimal(OrderSchema.AMOUNT, 18, 2).toBigDecimal()).isEqualTo(new BigDecimal("1.50"));
    }

    @Test
    void integerAndLargestAmountsAreAccepted() {
        GenericRowData integer = parse(orderWithAmount("7"));
        assertThat(integer).isNotNull();
        assertThat(integer.getDecimal(OrderSchema.AMOUNT, 18, 2).toBigDecimal()).isEqualTo(new BigDecimal("7.00"));

        GenericRowData largest = parse(orderWithAmount("-9999999999999999.99"));
        assertThat(largest).isNotNull();
        assertThat(largest.getDecimal(OrderSchema.AMOUNT, 18, 2).toBigDecimal())
                .isEqualTo(new BigDecimal("-9999999999999999.99"));
    }

    @Test
    void amountWithMoreThanTwoDecimalsIsRejected() {
        assertRejected(orderWithAmount("1.005"), "amount has more than 2 decimals: 1.005");
    }

    @Test
    void amountOutOfDecimal18_2RangeIsRejected() {
        assertRejected(orderWithAmount("1e17"), "amount does not fit decimal(18,2)");
        assertRejected(orderWithAmount("10000000000000000"), "amount does not fit decimal(18,2)");
    }

    @Test
    void sameBytesParseToEqualRows() {
        byte[] value =
                bytes("{\"order_id\":\"o-1\",\"customer_id\":\"c-7\",\"amount\":\"12.5\",\"currency\":\"EUR\","
                        + "\"event_time\":\"2024-03-01T10:15:30.123456Z\",\"x\":[1,2]}");

        GenericRowData first = parser.parse(value, TOPIC, PARTITION, OFFSET, KAFKA_TS);
        GenericRowData second = parser.parse(value, TOPIC, PARTITION, OFFSET, KAFKA_TS);
        GenericRowData otherParser = new OrderParser(MAX_BYTES, MAX_ID_BYTES).parse(value, TOPIC, PARTITION, OFFSET, KAFKA_TS);

        assertThat(first).isNotNull();
        assertThat(second).isNotSameAs(first);
        assertThat(second.equals(first)).isTrue();
        assertThat(otherParser.equals(first)).isTrue();
        assertThat(second.hashCode()).isEqualTo(first.hashCode());
    }

    @Test
    void errorIsResetBySuccessfulParse() {
        assertThat(parse("{\"order_id\":1}")).isNull();
        assertThat(parser.error()).isNotNull();

        assertThat(parse(orderWithEventTime("\"2024-03-01T10:15:30Z\""))).isNotNull();
        assertThat(parser.error()).isNull();
    }

    @Test
    void recordOfExactlyMaxBytesIsAccepted() {
        String base = orderWithEventTime("\"2024-03-01T10:15:30Z\"");
        StringBuilder json = new StringBuilder(base.substring(0, base.length() - 1)).append(",\"pad\":\"");
        while (json.length() < MAX_BYTES - 2) {
            json.append('x');
        }
        json.append("\"}");
        byte[] value = bytes(json.toString());
        assertThat(value).hasSize(MAX_BYTES);

        assertThat(parser.parse(value, TOPIC, PARTITION, OFFSET, KAFKA_TS)).isNotNull();
        assertThat(parser.error()).isNull();
    }

    // ---------------------------------------------------------------- rejections

    @Test
    void nullValueIsRejected() {
        assertRejected((byte[]) null, "null value (tombstone)");
    }

    @Test
    void oversizedRecordIsRejected() {
        byte[] value = new byte[MAX_BYTES + 1];
        Arrays.fill(value, (byte) ' ');
        assertRejected(value, "record of " + (MAX_BYTES + 1) + " bytes exceeds max-record-bytes " + MAX_BYTES);
    }

    @Test
    void nonObjectIsRejected() {
        assertRejected("[1]", "not a JSON object");
        assertRejected("\"x\"", "not a JSON object");
        assertRejected("", "not a JSON object");
    }

    @Test
    void truncatedJsonIsRejected() {
        assertRejected("{\"order_id\":\"o-1\",\"event_time\":\"2024-03-01T10:15:30Z\"", "malformed JSON");
        assertRejected("{\"order_id\":\"o-", "malformed JSON");
    }

    @Test
    void trailingContentIsRejected() {
        String order = orderWithEventTime("\"2024-03-01T10:15:30Z\"");
        assertRejected(order + "{}", "trailing content after the JSON object");
        assertRejected(order + " 42", "trailing content after the JSON object");
        // Trailing bytes that are not a JSON token at all are reported by Jackson as malformed.
        assertRejected(order + " garbage", "malformed JSON");
    }

    @Test
    void missingOrderIdIsRejected() {
        assertRejected(orderWithEventTime("\"2024-03-01T10:15:30Z\"").replace("\"order_id\":\"o-1\",", ""),
                "missing order_id");
    }

    @Test
    void emptyOrderIdIsRejected() {
        assertRejected("{\"order_id\":\"\",\"event_time\":\"2024-03-01T10:15:30Z\"}", "empty order_id");
    }

    @Test
    void numericOrderIdIsRejected() {
        assertRejected("{\"order_id\":17,\"event_time\":\"2024-03-01T10:15:30Z\"}",
                "order_id must be a string, was a number");
    }

    @Test
    void numericCustomerIdIsRejected() {
        assertRejected("{\"order_id\":\"o-1\",\"customer_id\":7,\"event_time\":\"2024-03-01T10:15:30Z\"}",
                "customer_id must be a string, was a number");
    }

    @Test
    void booleanAmountIsRejected() {
        assertRejected(orderWithAmount("true"), "amount must be a number, was a boolean");
    }

    @Test
    void nonNumericAmountStringIsRejected() {
        assertRejected(orderWithAmount("\"abc\""), "amount is not a decimal: 'abc'");
    }

    @Test
    void lowerCaseCurrencyIsRejected() {
        assertRejected("{\"order_id\":\"o-1\",\"currency\":\"eur\",\"event_time\":\"2024-03-01T10:15:30Z\"}",
                "currency must be 3 upper-case letters, was 'eur'");
    }

    @Test
    void fourLetterCurrencyIsRejected() {
        assertRejected("{\"order_id\":\"o-1\",\"currency\":\"EURO\",\"event_time\":\"2024-03-01T10:15:30Z\"}",
                "currency must be 3 upper-case letters, was 'EURO'");
    }

    @Test
    void missingEventTimeIsRejected() {
        assertRejected("{\"order_id\":\"o-1\",\"amount\":1}", "missing event_time");
    }

    @Test
    void nonIsoEventTimeIsRejected() {
        assertRejected(orderWithEventTime("\"yesterday\""), "event_time is not an ISO-8601 instant: 'yesterday'");
    }

    @Test
    void numericEventTimeIsRejected() {
        assertRejected(orderWithEventTime("1709288130"), "event_time must be an ISO-8601 string, was a number");
    }

    @Test
    void hugeExponentsAreRejectedQuicklyWithAShortReason() {
        OrderParser parser = new OrderParser(1 << 20, 256);
        for (String amount : new String[] {"1e1000000000", "1e10000000", "\"1e1000000000\""}) {
            byte[] json = ("{\"order_id\":\"o1\",\"amount\":" + amount
                    + ",\"event_time\":\"2024-03-01T00:00:00Z\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(parser.parse(json, "t", 0, 0, 0)).as(amount).isNull();
            assertThat(parser.error()).contains("does not fit decimal(18,2)").hasSizeLessThan(200);
        }
        byte[] tiny = "{\"order_id\":\"o1\",\"amount\":1e-1000000000,\"event_time\":\"2024-03-01T00:00:00Z\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(parser.parse(tiny, "t", 0, 0, 0)).isNull();
        assertThat(parser.error()).contains("more than 2 decimals").hasSizeLessThan(200);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"0000-12-31T23:59:59.999999Z", "+10000-01-01T00:00:00Z", "-5000-06-01T00:00:00Z"})
    void eventTimeOutsideTheYearsDeltaSupportsIsADeadLetter(String eventTime) {
        assertRejected(orderWithEventTime("\"" + eventTime + "\""), "outside the years 0001-9999");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"})
    void eventTimeAtTheEdgesOfTheYearsDeltaSupportsIsAccepted(String eventTime) {
        assertThat(parse(orderWithEventTime("\"" + eventTime + "\""))).isNotNull();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"\\ud800", "a\\udc00", "\\udbff\\u0041", "x\\ud83d"})
    void anIdWithAnUnpairedSurrogateEscapeIsADeadLetter(String escapedId) {
        assertRejected(
                "{\"order_id\":\"" + escapedId + "\",\"event_time\":\"2024-03-01T10:15:30Z\"}",
                "unpaired UTF-16 surrogate");
        assertRejected(
                "{\"order_id\":\"o\",\"customer_id\":\"" + escapedId + "\",\"event_time\":\"2024-03-01T10:15:30Z\"}",
                "customer_id contains an unpaired");
    }

    @Test
    void anIdWithASurrogatePairEscapeIsAccepted() {
        GenericRowData row = parse("{\"order_id\":\"\\ud83d\\ude00\",\"event_time\":\"2024-03-01T10:15:30Z\"}");
        assertThat(row).isNotNull();
        assertThat(row.getString(OrderSchema.ORDER_ID).toString()).isEqualTo("\uD83D\uDE00");
    }

    // ---------------------------------------------------------------- hostile sizes

    @Test
    void orderIdUpToTheLimitIsAccepted() {
        String id = "x".repeat(MAX_ID_BYTES);
        GenericRowData row = parse("{\"order_id\":\"" + id + "\",\"event_time\":\"2024-03-01T10:15:30Z\"}");
        assertThat(parser.error()).isNull();
        assertThat(row.getString(OrderSchema.ORDER_ID).toString()).isEqualTo(id);
    }

    @Test
    void orderIdOverTheLimitIsADeadLetterWithItsLength() {
        assertRejected(
                "{\"order_id\":\"" + "x".repeat(MAX_ID_BYTES + 1) + "\",\"event_time\":\"2024-03-01T10:15:30Z\"}",
                "order_id of " + (MAX_ID_BYTES + 1) + " characters exceeds max-order-id-bytes " + MAX_ID_BYTES);
    }

    @Test
    void orderIdLimitCountsUtf8Bytes() {
        // 30 characters of 3 UTF-8 bytes each: under the limit in characters, over it in bytes
        String id = "\u20ac".repeat(30);
        assertRejected(
                "{\"order_id\":\"" + id + "\",\"event_time\":\"2024-03-01T10:15:30Z\"}",
                "order_id of 90 UTF-8 bytes exceeds max-order-id-bytes " + MAX_ID_BYTES);
        String fits = "\u20ac".repeat(MAX_ID_BYTES / 3);
        assertThat(parse("{\"order_id\":\"" + fits + "\",\"event_time\":\"2024-03-01T10:15:30Z\"}")).isNotNull();
        assertThat(OrderParser.utf8Length("a\u00e9\u20ac\ud83d\ude00")).isEqualTo(1 + 2 + 3 + 4);
    }

    @Test
    void megabyteOrderIdIsRefusedWithAShortReason() {
        OrderParser big = new OrderParser(2 << 20, 256);
        byte[] json = bytes("{\"order_id\":\"" + "x".repeat(1 << 20) + "\",\"event_time\":\"2024-03-01T10:15:30Z\"}");
        assertThat(big.parse(json, TOPIC, PARTITION, OFFSET, KAFKA_TS)).isNull();
        assertThat(big.error()).isEqualTo("order_id of 1048576 characters exceeds max-order-id-bytes 256");
    }

    @Test
    void millionDigitAmountsAreRefusedInLinearTime() {
        OrderParser big = new OrderParser(4 << 20, 256);
        String digits = "9".repeat(1_000_000);
        String[] amounts = {
            "\"" + digits + "\"",                       // BigDecimal(String) is quadratic in the digits
            "\"1." + "0".repeat(1_000_000) + "\"",     // fits by precision - scale; stripTrailingZeros is not linear
            digits,                                    // a JSON number: Jackson's own length limit
        };
        for (String amount : amounts) {
            byte[] json = bytes("{\"order_id\":\"o-1\",\"amount\":" + amount + ",\"event_time\":\"2024-03-01T10:15:30Z\"}");
            // linear work over 1 MB takes milliseconds; the quadratic paths take seconds to minutes
            GenericRowData row = assertTimeoutPreemptively(
                    Duration.ofSeconds(1), () -> big.parse(json, TOPIC, PARTITION, OFFSET, KAFKA_TS), amount.substring(0, 10));
            assertThat(row).as(amount.substring(0, 10)).isNull();
            assertThat(big.error()).as(amount.substring(0, 10)).hasSizeLessThan(600);
        }
        assertThat(big.parse(bytes("{\"order_id\":\"o-1\",\"amount\":\"" + digits + "\",\"event_time\":\"2024-03-01T10:15:30Z\"}"),
                TOPIC, PARTITION, OFFSET, KAFKA_TS)).isNull();
        assertThat(big.error()).isEqualTo("amount of 1000000 characters does not fit decimal(18,2) (at most 64 characters are read)");
    }

    @Test
    void hugeFieldValuesAreCutInErrorMessages() {
        OrderParser big = new OrderParser(4 << 20, 256);
        String huge = "z".repeat(1 << 20);
        String[] orders = {
            "{\"order_id\":\"o-1\",\"event_time\":\"" + huge + "\"}",
            "{\"order_id\":\"o-1\",\"currency\":\"" + huge + "\",\"event_time\":\"2024-03-01T10:15:30Z\"}",
            "{\"order_id\":\"o-1\",\"amount\":\"x" + "1".repeat(40) + "\",\"event_time\":\"2024-03-01T10:15:30Z\"}",
            "{\"order_id\":\"o-1\",\"x\":" + huge + "}",
        };
        for (String order : orders) {
            assertThat(big.parse(bytes(order), TOPIC, PARTITION, OFFSET, KAFKA_TS)).isNull();
            assertThat(big.error()).hasSizeLessThan(600);
        }
    }
}
