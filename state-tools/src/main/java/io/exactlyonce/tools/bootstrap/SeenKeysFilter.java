package io.exactlyonce.tools.bootstrap;

/**
 * A Bloom filter of the keys one bootstrap subtask has written: "certainly not seen" lets the
 * bootstrap write a key without first reading it back from RocksDB. Nearly every key of a table the
 * job wrote is unique, and that read — a RocksDB {@code get} that misses, in a growing instance — was
 * what made a 10-million-key bootstrap slow; a "maybe seen" answer (every real duplicate, and about
 * 1 % of new keys) still reads the state, so the result is exactly what reading every key gives.
 *
 * <p>Ten bits and seven hashes per expected key (about 1 % false positives at the expected count),
 * at most {@value #MAX_BITS} bits (128 MiB); beyond its size the filter only answers "maybe" more
 * often — slower, never wrong.
 */
final class SeenKeysFilter {

    static final long MAX_BITS = 1L << 30;
    private static final int HASHES = 7;

    private final long[] words;
    private final long bits;

    SeenKeysFilter(long expectedKeys) {
        long wanted = Math.max(1L << 16, Math.min(MAX_BITS, expectedKeys * 10));
        this.words = new long[(int) ((wanted + 63) / 64)];
        this.bits = words.length * 64L;
    }

    /** Adds the key; returns true when it may have been added before (the caller must then check). */
    boolean addAndCheck(String key) {
        long h1 = mix(key.hashCode());
        long h2 = fnv(key) | 1L;
        boolean maybeSeen = true;
        for (int i = 0; i < HASHES; i++) {
            long bit = Math.floorMod(h1 + i * h2, bits);
            int word = (int) (bit >>> 6);
            long mask = 1L << bit;
            if ((words[word] & mask) == 0) {
                maybeSeen = false;
                words[word] |= mask;
            }
        }
        return maybeSeen;
    }

    long sizeInBytes() {
        return words.length * 8L;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    private static long fnv(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }
}
