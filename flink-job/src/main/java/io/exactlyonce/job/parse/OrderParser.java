package io.exactlyonce.job.parse;

import io.exactlyonce.job.OrderSchema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Parses one JSON order into an orders-table row, or says precisely why it cannot.
 *
 * <p>Plain Java over Jackson's streaming parser: one pass over the bytes, no tree, no reflection.
 * Rules: the value must be a JSON object of at most {@code maxRecordBytes}; {@code order_id} is a
 * required non-empty string; {@code customer_id} an optional string; {@code amount} an optional
 * number (or numeric string) with at most 2 decimals and 16 integer digits; {@code currency} an
 * optional 3-letter upper-case code; {@code event_time} a required ISO-8601 instant. Unknown fields
 * are ignored.
 *
 * <p>Hostile input costs linear time and bounded memory: lengths are checked before any
 * super-linear work. An {@code order_id} longer than {@code maxOrderIdBytes} (UTF-8) is refused
 * before it becomes a key in the dedup state and a value in the table's statistics; an amount whose
 * text is longer than {@value #MAX_AMOUNT_CHARS} characters is refused before {@link BigDecimal}
 * parses it (quadratic in the digit count); numbers longer than Jackson's limit (1000 characters)
 * are refused by the tokenizer; a quoted value in an error message is cut to 64 characters. The lineage columns come from the Kafka record, and {@code event_date} is the UTC
 * date of {@code event_time}: nothing depends on the wall clock, so a replay produces identical
 * rows. Not thread-safe: one instance per task.
 */
public final class OrderParser {

    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final Instant FIRST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /**
     * Longest amount text looked at: {@code decimal(18,2)} needs at most 20 characters
     * ("-9999999999999999.99"); the rest is room for leading zeros and exponents.
     */
    static final int MAX_AMOUNT_CHARS = 64;

    private final JsonFactory factory = new JsonFactory();
    private final int maxRecordBytes;
    private final int maxOrderIdBytes;

    private String error;

    public OrderParser(int maxRecordBytes, int maxOrderIdBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxOrderIdBytes = maxOrderIdBytes;
    }

    /** The reason the last {@link #parse} returned null. */
    public String error() {
        return error;
    }

    /** The row, or null with {@link #error()} set. */
    public GenericRowData parse(
            byte[] value, String topic, int partition, long offset, long kafkaTimestamp) {
        error = null;
        if (value == null) {
            return fail("null value (tombstone)");
        }
        if (value.length > maxRecordBytes) {
            return fail("record of " + value.length + " bytes exceeds max-record-bytes " + maxRecordBytes);
        }
        String orderId = null;
        String customerId = null;
        BigDecimal amount = null;
        String currency = null;
        Instant eventTime = null;
        try (JsonParser p = factory.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return fail("not a JSON object");
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "order_id":
                        if (v != JsonToken.VALUE_STRING) {
                            return fail("order_id must be a string, was " + describe(v));
                        }
                        if (p.getTextLength() > maxOrderIdBytes) {
                            // chars <= UTF-8 bytes: longer in chars is longer in bytes, decided without copying
                            return fail(orderIdTooLong(p.getTextLength() + " characters"));
                        }
                        orderId = p.getText();
                        if (orderId.length() * 3L > maxOrderIdBytes && utf8Length(orderId) > maxOrderIdBytes) {
                            return fail(orderIdTooLong(utf8Length(orderId) + " UTF-8 bytes"));
                        }
                        break;
                    case "customer_id":
                        if (v == JsonToken.VALUE_NULL) {
                            customerId = null;
                        } else if (v != JsonToken.VALUE_STRING) {
                            return fail("customer_id must be a string, was " + describe(v));
                        } else {
                            customerId = p.getText();
                        }
                        break;
                    case "amount":
                        if (v == JsonToken.VALUE_NULL) {
                            amount = null;
                        } else if (isScalarText(v) && p.getTextLength() > MAX_AMOUNT_CHARS) {
                            return fail("amount of " + p.getTextLength() + " characters does not fit decimal(18,2)"
                                    + " (at most " + MAX_AMOUNT_CHARS + " characters are read)");
                        } else if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                            amount = p.getDecimalValue();
                        } else if (v == JsonToken.VALUE_STRING) {
                            try {
                                amount = new BigDecimal(p.getText());
                            } catch (NumberFormatException e) {
                                return fail("amount is not a decimal: '" + abbreviate(p.getText()) + "'");
                            }
                        } else {
                            return fail("amount must be a number, was " + describe(v));
                        }
                        break;
                    case "currency":
                        if (v == JsonToken.VALUE_NULL) {
                            currency = null;
                        } else if (v != JsonToken.VALUE_STRING) {
                            return fail("currency must be a string, was " + describe(v));
                        } else {
                            currency = p.getText();
                        }
                        break;
                    case "event_time":
                        if (v != JsonToken.VALUE_STRING) {
                            return fail("event_time must be an ISO-8601 string, was " + describe(v));
                        }
                        try {
                            eventTime = IsoInstant.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        } catch (DateTimeParseException e) {
                            return fail("event_time is not an ISO-8601 instant: '" + abbreviate(p.getText()) + "'");
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                return fail("malformed JSON object");
            }
            if (p.nextToken() != null) {
                return fail("trailing content after the JSON object");
            }
        } catch (IOException e) {
            return fail("malformed JSON: " + firstLine(e.getMessage()));
        }
        if (orderId == null || orderId.isEmpty()) {
            return fail(orderId == null ? "missing order_id" : "empty order_id");
        }
        if (eventTime == null) {
            return fail("missing event_time");
        }
        if (eventTime.isBefore(FIRST_INSTANT) || eventTime.isAfter(LAST_INSTANT)) {
            return fail("event_time outside the years 0001-9999 that Delta supports: " + abbreviate(eventTime.toString()));
        }
        // a JSON escape can carry half a surrogate pair: it has no UTF-8 form, so the table would
        // store '?' and two different ids would become the same row value
        String invalid =
                !isValidUnicode(orderId) ? "order_id"
                        : customerId != null && !isValidUnicode(customerId) ? "customer_id"
                        : null;
        if (invalid != null) {
            return fail(invalid + " contains an unpaired UTF-16 surrogate (a \\uD800-\\uDFFF escape"
                    + " without its pair): not valid Unicode");
        }
        if (currency != null && !isCurrencyCode(currency)) {
            return fail("currency must be 3 upper-case letters, was '" + abbreviate(currency) + "'");
        }
        if (amount != null) {
            // integer digits first: rescaling a huge exponent would be slow or overflow
            if (amount.precision() - amount.scale() > 16) {
                return fail("amount does not fit decimal(18,2): " + abbreviate(amount.toString()));
            }
            if (amount.scale() > OrderSchema.AMOUNT_SCALE
                    && amount.stripTrailingZeros().scale() > OrderSchema.AMOUNT_SCALE) {
                return fail("amount has more than 2 decimals: " + abbreviate(amount.toString()));
            }
            amount = amount.setScale(OrderSchema.AMOUNT_SCALE);
        }
        long micros;
        try {
            micros = Math.addExact(Math.multiplyExact(eventTime.getEpochSecond(), 1_000_000L), eventTime.getNano() / 1_000L);
        } catch (ArithmeticException e) {
            return fail("event_time out of range: " + eventTime);
        }
        GenericRowData row = new GenericRowData(OrderSchema.ORDERS.getFieldCount());
        row.setField(OrderSchema.ORDER_ID, StringData.fromString(orderId));
        row.setField(OrderSchema.CUSTOMER_ID, customerId == null ? null : StringData.fromString(customerId));
        row.setField(
                OrderSchema.AMOUNT,
                amount == null
                        ? null
                        : DecimalData.fromBigDecimal(amount, OrderSchema.AMOUNT_PRECISION, OrderSchema.AMOUNT_SCALE));
        row.setField(OrderSchema.CURRENCY, currency == null ? null : StringData.fromString(currency));
        row.setField(OrderSchema.EVENT_TIME, TimestampData.fromInstant(eventTime));
        row.setField(OrderSchema.KAFKA_TOPIC, StringData.fromString(topic));
        row.setField(OrderSchema.KAFKA_PARTITION, partition);
        row.setField(OrderSchema.KAFKA_OFFSET, offset);
        row.setField(OrderSchema.KAFKA_TIMESTAMP, TimestampData.fromEpochMillis(kafkaTimestamp));
        row.setField(OrderSchema.EVENT_DATE, (int) Math.floorDiv(micros, MICROS_PER_DAY));
        return row;
    }

    private GenericRowData fail(String reason) {
        error = reason;
        return null;
    }

    /** True unless the text holds a high surrogate without its low half, or a lone low one. */
    static boolean isValidUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c)
                        || i + 1 == s.length()
                        || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    private String orderIdTooLong(String length) {
        return "order_id of " + length + " exceeds max-order-id-bytes " + maxOrderIdBytes;
    }

    private static boolean isScalarText(JsonToken v) {
        return v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT;
    }

    /** UTF-8 length of a string without encoding it (a lone surrogate counts as the 3 bytes of '?'). */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static boolean isCurrencyCode(String s) {
        return s.length() == 3
                && Character.isUpperCase(s.charAt(0))
                && Character.isUpperCase(s.charAt(1))
                && Character.isUpperCase(s.charAt(2))
                && s.chars().allMatch(c -> c >= 'A' && c <= 'Z');
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "missing";
        }
        switch (token) {
            case VALUE_NULL:
                return "null";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            default:
                return token.toString();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 60) + "...";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() <= 500 ? line : line.substring(0, 496) + "...";
    }
}
