package io.exactlyonce.deploy.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner's options ({@code deploy/bench.sh --records 2000000 --parallelism 1,2 …}) with their
 * defaults. An unknown option or a bad value fails at start with a message naming the option and
 * listing the valid ones.
 */
final class BenchOptions {

    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("scenario", "throughput");
        DEFAULTS.put("records", "2000000");
        DEFAULTS.put("partitions", "3");
        DEFAULTS.put("duplicates", "0.10");
        DEFAULTS.put("malformed", "0.005");
        DEFAULTS.put("parallelism", "1,2");
        DEFAULTS.put("variants", "a,b,c,d");
        DEFAULTS.put("checkpoint-interval-ms", "5000");
        DEFAULTS.put("heap", "2g");
        DEFAULTS.put("streaming", "true");
        DEFAULTS.put("stream-rate", "20000");
        DEFAULTS.put("stream-seconds", "15");
        DEFAULTS.put("stream-parallelism", "2");
        DEFAULTS.put("keys", "10000000");
        DEFAULTS.put("out-dir", "deploy/bench-results");
        DEFAULTS.put("keep-data", "false");
        DEFAULTS.put("seed", "42");
        DEFAULTS.put("timeout-minutes", "30");
    }

    private final Map<String, String> values;

    private BenchOptions(Map<String, String> values) {
        this.values = values;
    }

    static BenchOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (key == null || !DEFAULTS.containsKey(key) || i + 1 >= args.length) {
                throw new IllegalArgumentException("Unknown or incomplete option '" + args[i] + "'. " + usage());
            }
            values.put(key, args[++i]);
        }
        BenchOptions options = new BenchOptions(values);
        options.validate();
        return options;
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("Options and defaults:");
        DEFAULTS.forEach((k, v) -> sb.append("\n  --").append(k).append(' ').append(v));
        return sb.toString();
    }

    private void validate() {
        if (!List.of("throughput", "state-scale").contains(scenario())) {
            throw new IllegalArgumentException("'--scenario' must be throughput or state-scale, was '" + scenario() + "'");
        }
        positive("records");
        positive("partitions");
        positive("checkpoint-interval-ms");
        positive("stream-rate");
        positive("stream-seconds");
        positive("stream-parallelism");
        positive("keys");
        positive("timeout-minutes");
        share("duplicates");
        share("malformed");
        if (duplicates() + malformed() >= 1) {
            throw new IllegalArgumentException("'--duplicates' plus '--malformed' must be below 1");
        }
        parallelisms();
        variants();
        if (!values.get("heap").matches("\\d+[mgMG]")) {
            throw new IllegalArgumentException("'--heap' must be a JVM heap size such as 2g or 1536m, was '"
                    + values.get("heap") + "'");
        }
        bool("streaming");
        bool("keep-data");
    }

    private void positive(String key) {
        try {
            if (Long.parseLong(values.get(key)) <= 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'--" + key + "' must be a positive whole number, was '" + values.get(key) + "'");
        }
    }

    private void share(String key) {
        try {
            double v = Double.parseDouble(values.get(key));
            if (v < 0 || v >= 1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'--" + key + "' must be a share in [0, 1), e.g. 0.10, was '" + values.get(key) + "'");
        }
    }

    private boolean bool(String key) {
        String v = values.get(key);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("'--" + key + "' must be true or false, was '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    String scenario() {
        return values.get("scenario");
    }

    long records() {
        return Long.parseLong(values.get("records"));
    }

    int partitions() {
        return Integer.parseInt(values.get("partitions"));
    }

    double duplicates() {
        return Double.parseDouble(values.get("duplicates"));
    }

    double malformed() {
        return Double.parseDouble(values.get("malformed"));
    }

    List<Integer> parallelisms() {
        List<Integer> list = new ArrayList<>();
        for (String p : values.get("parallelism").split(",")) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n < 1) {
                    throw new NumberFormatException();
                }
                list.add(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "'--parallelism' must be a comma-separated list of positive numbers, e.g. 1,2, was '"
                                + values.get("parallelism") + "'");
            }
        }
        return list;
    }

    List<Variant> variants() {
        List<Variant> list = new ArrayList<>();
        for (String v : values.get("variants").split(",")) {
            list.add(Variant.of(v));
        }
        return list;
    }

    long checkpointIntervalMs() {
        return Long.parseLong(values.get("checkpoint-interval-ms"));
    }

    String heap() {
        return values.get("heap");
    }

    boolean streaming() {
        return bool("streaming");
    }

    int streamRate() {
        return Integer.parseInt(values.get("stream-rate"));
    }

    int streamSeconds() {
        return Integer.parseInt(values.get("stream-seconds"));
    }

    int streamParallelism() {
        return Integer.parseInt(values.get("stream-parallelism"));
    }

    long keys() {
        return Long.parseLong(values.get("keys"));
    }

    Path outDir() {
        return Path.of(values.get("out-dir")).toAbsolutePath();
    }

    boolean keepData() {
        return bool("keep-data");
    }

    long seed() {
        return Long.parseLong(values.get("seed"));
    }

    long timeoutSeconds() {
        return Long.parseLong(values.get("timeout-minutes")) * 60;
    }

    Map<String, String> asMap() {
        return Map.copyOf(values);
    }
}
