package io.exactlyonce.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/**
 * The benchmarks' input: JSON order records as producers send them (UUID order ids, customer ids,
 * amounts with two decimals, three currencies, ISO-8601 instants with milliseconds, one field the
 * parser ignores), drawn from a seeded {@link Random} so every run measures the same bytes.
 *
 * <p>A share of the records can be malformed, mixed in at random positions, of the kinds the
 * parser rejects at different depths: broken JSON, a value that is not an object, a missing
 * {@code order_id}, an amount with three decimals, a lower-case currency and an impossible
 * {@code event_time} (rejected only after the whole object was read).
 */
final class OrderRecords {

    /** Event times are spread over two days from here: two {@code event_date} partitions. */
    static final Instant FIRST_EVENT = Instant.parse("2026-11-26T00:00:00Z");

    private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};
    private static final int MALFORMED_KINDS = 6;

    private OrderRecords() {}

    /** {@code count} records, {@code malformedPercent} % of them malformed. */
    static byte[][] generate(int count, int malformedPercent, long seed) {
        Random random = new Random(seed);
        byte[][] records = new byte[count][];
        for (int i = 0; i < count; i++) {
            String json =
                    random.nextInt(100) < malformedPercent
                            ? malformed(random.nextInt(MALFORMED_KINDS), random)
                            : valid(random);
            records[i] = json.getBytes(StandardCharsets.UTF_8);
        }
        return records;
    }

    /** A new UUID-shaped order id. */
    static String orderId(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static String valid(Random random) {
        return "{\"order_id\":\"" + orderId(random)
                + "\",\"customer_id\":\"cust-" + random.nextInt(50_000)
                + "\",\"amount\":" + amount(random)
                + ",\"currency\":\"" + CURRENCIES[random.nextInt(CURRENCIES.length)]
                + "\",\"event_time\":\"" + eventTime(random)
                + "\",\"channel\":\"" + (random.nextBoolean() ? "web" : "app") + "\"}";
    }

    private static String malformed(int kind, Random random) {
        String id = orderId(random);
        String time = eventTime(random);
        switch (kind) {
            case 0:
                return "{\"order_id\":\"" + id + "\",\"amount\":";
            case 1:
                return "[\"" + id + "\"," + amount(random) + "]";
            case 2:
                return "{\"amount\":" + amount(random) + ",\"event_time\":\"" + time + "\"}";
            case 3:
                return "{\"order_id\":\"" + id + "\",\"amount\":12.345,\"event_time\":\"" + time + "\"}";
            case 4:
                return "{\"order_id\":\"" + id + "\",\"currency\":\"eur\",\"event_time\":\"" + time + "\"}";
            default:
                return "{\"order_id\":\"" + id + "\",\"amount\":" + amount(random)
                        + ",\"event_time\":\"2026-02-30T25:61:00Z\"}";
        }
    }

    private static String amount(Random random) {
        int cents = random.nextInt(2_000_000);
        return cents / 100 + "." + (cents % 100 < 10 ? "0" : "") + cents % 100;
    }

    private static String eventTime(Random random) {
        return FIRST_EVENT.plusMillis(random.nextInt(2 * 86_400_000)).toString();
    }
}
