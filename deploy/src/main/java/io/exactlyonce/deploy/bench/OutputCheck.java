package io.exactlyonce.deploy.bench;

import java.util.BitSet;

/**
 * Checks a variant's output against the loaded truth: every order {@code <prefix>0 ..
 * <prefix>(expected-1)} exactly once. Ids are numbered, so a {@link BitSet} holds the ids seen (a
 * few hundred KB for millions of orders). Counts rows, distinct ids, duplicate rows, missing ids
 * and unexpected ids (not of this load).
 */
final class OutputCheck {

    private final String prefix;
    private final long expected;
    private final BitSet seen;
    private long rows;
    private long duplicates;
    private long unexpected;

    OutputCheck(String prefix, long expected) {
        if (expected > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " distinct orders can be checked");
        }
        this.prefix = prefix;
        this.expected = expected;
        this.seen = new BitSet((int) expected);
    }

    void accept(String orderId) {
        rows++;
        long n = number(orderId);
        if (n < 0 || n >= expected) {
            unexpected++;
        } else if (seen.get((int) n)) {
            duplicates++;
        } else {
            seen.set((int) n);
        }
    }

    private long number(String orderId) {
        if (orderId == null || !orderId.startsWith(prefix) || orderId.length() == prefix.length()) {
            return -1;
        }
        long n = 0;
        for (int i = prefix.length(); i < orderId.length(); i++) {
            char c = orderId.charAt(i);
            if (c < '0' || c > '9' || n > Integer.MAX_VALUE) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    long rows() {
        return rows;
    }

    long distinct() {
        return seen.cardinality();
    }

    long duplicates() {
        return duplicates;
    }

    long missing() {
        return expected - seen.cardinality();
    }

    long unexpected() {
        return unexpected;
    }

    /** Exactly the expected orders, each once. */
    boolean exact() {
        return duplicates == 0 && unexpected == 0 && missing() == 0;
    }

    @Override
    public String toString() {
        return "rows=" + rows + " distinct=" + distinct() + " expected=" + expected + " duplicates=" + duplicates
                + " missing=" + missing() + " unexpected=" + unexpected;
    }
}
