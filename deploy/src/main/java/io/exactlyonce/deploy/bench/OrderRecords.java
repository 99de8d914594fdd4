package io.exactlyonce.deploy.bench;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark's input records: the JSON orders the job reads (same fields and shapes as the
 * demo's orders) and a rotating set of malformed values the parser rejects. Built with a plain
 * {@link StringBuilder}, no formatter, so millions of records are produced in seconds. Order
 * {@code i} always has the same bytes, so a duplicate is an exact copy.
 */
final class OrderRecords {

    /** Event times spread over three days from 2024-03-01, so the table has three partitions. */
    private static final int SPREAD_SECONDS = 3 * 86_400;

    private final String idPrefix;
    private final StringBuilder sb = new StringBuilder(256);

    OrderRecords(String idPrefix) {
        this.idPrefix = idPrefix;
    }

    /** The id of order {@code i}. */
    String id(long i) {
        return idPrefix + i;
    }

    /** The JSON of order {@code i}. */
    byte[] order(long i) {
        long cents = (i * 7919) % 1_000_000;
        sb.setLength(0);
        sb.append("{\"order_id\":\"").append(idPrefix).append(i)
                .append("\",\"customer_id\":\"c").append(i % 5000)
                .append("\",\"amount\":").append(cents / 100).append('.');
        long fraction = cents % 100;
        if (fraction < 10) {
            sb.append('0');
        }
        sb.append(fraction)
                .append(",\"currency\":\"").append(i % 3 == 0 ? "EUR" : "USD")
                .append("\",\"event_time\":\"");
        appendEventTime((int) ((i * 37) % SPREAD_SECONDS));
        sb.append("\",\"channel\":\"web\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void appendEventTime(int secondOfSpread) {
        int day = secondOfSpread / 86_400;
        int second = secondOfSpread % 86_400;
        sb.append("2024-03-0").append(day + 1).append('T');
        twoDigits(second / 3600);
        sb.append(':');
        twoDigits(second / 60 % 60);
        sb.append(':');
        twoDigits(second % 60);
        sb.append('Z');
    }

    private void twoDigits(int value) {
        if (value < 10) {
            sb.append('0');
        }
        sb.append(value);
    }

    /** Malformed record number {@code n}: one of six kinds in turn; kind 5 is a tombstone (null). */
    byte[] malformed(long n) {
        String id = "bad-" + idPrefix + n;
        String value;
        switch ((int) (n % 6)) {
            case 0:
                value = "{\"order_id\":\"" + id + "\",\"amount\":";
                break;
            case 1:
                value = "{\"amount\":1.00,\"event_time\":\"2024-03-01T00:00:00Z\"}";
                break;
            case 2:
                value = "{\"order_id\":\"" + id + "\",\"event_time\":\"yesterday\"}";
                break;
            case 3:
                value = "{\"order_id\":\"" + id + "\",\"amount\":\"12,5\",\"event_time\":\"2024-03-01T00:00:00Z\"}";
                break;
            case 4:
                value = "{\"order_id\":\"" + id + "\",\"currency\":\"euro\",\"event_time\":\"2024-03-01T00:00:00Z\"}";
                break;
            default:
                return null;
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
