package io.exactlyonce.deploy.bench;

import java.util.List;

/**
 * The four things the benchmark runs on the same input: (a) the job, (b) the job without its
 * guarantees, (c) the job's reading and dedup with Flink's FileSink instead of the Delta sink, (d)
 * a plain consumer. Each knows its child main class and the extra job options it runs with.
 */
enum Variant {
    A("a", "job: exactly-once + dedup + Delta sink", JobChild.class, List.of()),
    B("b", "job: at-least-once, no dedup", JobChild.class,
            List.of("--delivery-guarantee", "at-least-once", "--dedup", "false")),
    C("c", "FileSink Parquet: exactly-once + dedup, no Delta log", FileSinkChild.class, List.of()),
    D("d", "plain KafkaConsumer (read_committed), discard", ConsumerChild.class, List.of());

    final String key;
    final String description;
    final Class<?> main;
    final List<String> jobOptions;

    Variant(String key, String description, Class<?> main, List<String> jobOptions) {
        this.key = key;
        this.description = description;
        this.main = main;
        this.jobOptions = jobOptions;
    }

    /** Whether the variant writes a Delta table (a, b). */
    boolean delta() {
        return this == A || this == B;
    }

    static Variant of(String key) {
        for (Variant v : values()) {
            if (v.key.equals(key.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("Unknown variant '" + key + "' in '--variants': use a, b, c and/or d");
    }
}
