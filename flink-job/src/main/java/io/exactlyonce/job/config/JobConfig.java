package io.exactlyonce.job.config;

import io.exactlyonce.delta.sink.DeltaSink;
import io.exactlyonce.delta.sink.flink.FlinkLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The job's validated configuration, read from {@code --key value} arguments and an optional
 * properties file ({@code --config file}; arguments override the file). Every option, its default
 * and meaning is in {@link #OPTIONS}; a missing or invalid one fails at start with an {@link
 * InvalidOptionException} naming it. Unknown options are refused too (a typo must not silently fall
 * back to a default).
 */
public final class JobConfig implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String READ_COMMITTED = "read_committed";
    private static final String TABLE_CONF = "table-conf";

    public static final List<JobOption> OPTIONS =
            List.of(
                    JobOption.required("bootstrap-servers", "Kafka bootstrap servers, host:port[,host:port]"),
                    JobOption.required("topics", "topic(s) to read, comma-separated"),
                    JobOption.required("table-path", "Delta table of the orders (URI or local path)"),
                    JobOption.optional("dead-letter-path", "<table-path>_dead_letters", "Delta table of malformed records"),
                    JobOption.optional("metrics-path", "<table-path>_metrics", "Delta table with one row per committed checkpoint"),
                    JobOption.optional("group-id", "orders-to-delta", "Kafka consumer group (offsets committed to Kafka are for monitoring only)"),
                    JobOption.optional("starting-offsets", "table", "table (the positions recorded in the job's tables; earliest for partitions they do not know) | committed (fallback earliest) | earliest | latest | timestamp:<epoch-ms>; used only without restored state (committed against a table with data needs --accept-committed-offsets-gap)"),
                    JobOption.optional("bounded", "false", "stop at the offsets that are latest at start (backfills, tests)"),
                    JobOption.optional("table-conf", null, "a Hadoop / Delta Kernel setting for the three tables, key=value (file system endpoint and credentials, the Delta log store); repeat the option for more; see README, Running in production"),
                    JobOption.optional("kafka-properties-file", null, "extra Kafka client properties (SASL/SSL); must not set bootstrap.servers, group.id, isolation.level or auto.offset.reset differently"),
                    JobOption.optional("checkpoint-interval-ms", "10000", "checkpoint interval; rows become visible in the table at each checkpoint"),
                    JobOption.optional("checkpoint-dir", "file:///tmp/exactly-once-delta/checkpoints", "checkpoint storage (retained on cancellation)"),
                    JobOption.optional("state-backend", "rocksdb", "rocksdb (incremental checkpoints) | hashmap"),
                    JobOption.optional("delivery-guarantee", "exactly-once", "exactly-once (aligned checkpoint barriers: every record is in the tables once) | at-least-once (checkpoint barriers are not aligned: no input is held back at a checkpoint, a restart may write a record twice)"),
                    JobOption.optional("dedup", "true", "drop records whose order_id was seen within the dedup window; false writes every record (benchmarks, inputs without duplicates)"),
                    JobOption.optional("dedup-ttl-days", "7", "how long an order_id is remembered for deduplication, in data time (Kafka timestamps)"),
                    JobOption.optional("max-record-bytes", "1048576", "larger records go to the dead-letter table"),
                    JobOption.optional("max-order-id-bytes", "256", "an order_id longer than this (UTF-8) makes the record a dead letter instead of a dedup key"),
                    JobOption.optional("dead-letter-max-value-bytes", "65536", "a dead letter's raw_value keeps this many bytes; its full length and SHA-256 are kept in columns"),
                    JobOption.optional("parallelism", "0", "job parallelism; 0 = the environment's default"),
                    JobOption.optional("target-file-size-mb", "128", "Parquet target file size"),
                    JobOption.optional("restart-attempts", "10", "restarts before the job fails (exponential backoff 1 s to 60 s)"),
                    JobOption.optional("uid-prefix", "orders", "prefix of all operator uids; keep it across upgrades"),
                    JobOption.optional("sink-api", null, "v1 (the TwoPhaseCommitSinkFunction sink; the default on Flink 1.20, absent from Flink 2) | v2 (the Sink V2 sink; the default on Flink 2); switch only by stop-with-savepoint and a restart with --allowNonRestoredState (README 'Flink versions')"),
                    JobOption.optional("allow-rewind", "false", "accept restoring a savepoint older than the tables (see the sink's allowRewind)"),
                    JobOption.optional("skip-checkpoints-on-restore", null, "comma-separated checkpoint ids whose pending commits a restore skips if they cannot be committed, recording their files under <table>/_quarantine (see the sink's skipCheckpointsOnRestore)"),
                    JobOption.optional("accept-lost-kafka-records", "false", "resume at the earliest available offset when Kafka no longer holds the offset to continue from (retention, deleteRecords, recreated topic), logging each lost range; default: fail"),
                    JobOption.optional("accept-committed-offsets-gap", "false", "allow a start without restored state from committed offsets against a table with data (may skip the records of a checkpoint whose Delta commit failed)"),
                    JobOption.optional("restore-from", null, "checkpoint or savepoint to restore, for embedded runs (deploy/run-local.sh); on a cluster use flink run -s"),
                    JobOption.optional("auto-resume", "true", "embedded runs (deploy/run-local.sh): restore the latest complete retained checkpoint of this job (same --uid-prefix) found in --checkpoint-dir; --restore-from wins; false = start without state (an explicit fresh start); on a cluster use flink run -s"));

    private final Map<String, String> values;

    private JobConfig(Map<String, String> values) {
        this.values = values;
    }

    /** Parses and validates {@code --key value} arguments (and the {@code --config} file). */
    public static JobConfig fromArgs(String... args) {
        Map<String, String> cli = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException(
                        "Unexpected argument '" + arg + "': options are --key value pairs.\n" + usage());
            }
            String key = arg.substring(2);
            if (i + 1 >= args.length) {
                throw new InvalidOptionException(key, "has no value");
            }
            String value = args[++i];
            // the one repeatable option: its values are kept one per line
            cli.merge(key, value, (a, b) -> key.equals(TABLE_CONF) ? a + "\n" + b : b);
        }
        Map<String, String> merged = new HashMap<>();
        String file = cli.remove("config");
        if (file != null) {
            merged.putAll(readProperties(Paths.get(file), "config"));
        }
        merged.putAll(cli);
        return fromMap(merged);
    }

    /** Validates a map of option values. */
    public static JobConfig fromMap(Map<String, String> raw) {
        Map<String, JobOption> known =
                OPTIONS.stream().collect(Collectors.toMap(JobOption::key, o -> o));
        for (String key : raw.keySet()) {
            if (!known.containsKey(key)) {
                throw new InvalidOptionException(
                        key, "unknown option. Known options: " + String.join(", ", known.keySet()));
            }
        }
        Map<String, String> values = new HashMap<>();
        for (JobOption option : OPTIONS) {
            String value = raw.get(option.key());
            if (value == null || value.isBlank()) {
                if (option.isRequired()) {
                    throw new InvalidOptionException(option.key(), "is required: " + option.description());
                }
                value = option.defaultValue();
            }
            if (value != null) {
                values.put(option.key(), value.trim());
            }
        }
        JobConfig config = new JobConfig(values);
        config.validate();
        return config;
    }

    private void validate() {
        topics();
        startingOffsets();
        bool("bounded");
        bool("allow-rewind");
        sinkApi();
        skipCheckpointsOnRestore();
        bool("accept-lost-kafka-records");
        bool("accept-committed-offsets-gap");
        bool("auto-resume");
        bool("dedup");
        exactlyOnce();
        tableConf();
        positiveLong("checkpoint-interval-ms");
        positiveLong("dedup-ttl-days");
        maxRecordBytes();
        maxOrderIdBytes();
        deadLetterMaxValueBytes();
        positiveLong("target-file-size-mb");
        nonNegativeLong("parallelism");
        nonNegativeLong("restart-attempts");
        String backend = values.get("state-backend").toLowerCase(Locale.ROOT);
        if (!backend.equals("rocksdb") && !backend.equals("hashmap")) {
            throw new InvalidOptionException("state-backend", "must be rocksdb or hashmap, was '" + backend + "'");
        }
        if (values.containsKey("kafka-properties-file")) {
            checkKafkaPropertiesConflicts(kafkaProperties());
        }
        if (deadLetterPath().equals(tablePath()) || metricsPath().equals(tablePath())
                || deadLetterPath().equals(metricsPath())) {
            throw new InvalidOptionException(
                    "dead-letter-path", "table-path, dead-letter-path and metrics-path must be three different tables");
        }
    }

    private String get(String key) {
        return values.get(key);
    }

    public String bootstrapServers() {
        return get("bootstrap-servers");
    }

    public List<String> topics() {
        List<String> topics =
                Arrays.stream(get("topics").split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toList());
        if (topics.isEmpty()) {
            throw new InvalidOptionException("topics", "name at least one topic");
        }
        return topics;
    }

    public String tablePath() {
        return get("table-path");
    }

    public String deadLetterPath() {
        String v = get("dead-letter-path");
        return v.startsWith("<table-path>") ? stripSlash(tablePath()) + "_dead_letters" : v;
    }

    public String metricsPath() {
        String v = get("metrics-path");
        return v.startsWith("<table-path>") ? stripSlash(tablePath()) + "_metrics" : v;
    }

    public String groupId() {
        return get("group-id");
    }

    /** {@code committed}, {@code earliest}, {@code latest} or {@code timestamp:<ms>}. */
    public String startingOffsets() {
        String v = get("starting-offsets").toLowerCase(Locale.ROOT);
        if (v.equals("table") || v.equals("committed") || v.equals("earliest") || v.equals("latest")) {
            return v;
        }
        if (v.startsWith("timestamp:")) {
            try {
                if (Long.parseLong(v.substring("timestamp:".length())) >= 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new InvalidOptionException(
                "starting-offsets", "must be table, committed, earliest, latest or timestamp:<epoch-ms>, was '" + v + "'");
    }

    public long startingTimestampMs() {
        return Long.parseLong(startingOffsets().substring("timestamp:".length()));
    }

    public boolean bounded() {
        return bool("bounded");
    }

    /** Extra Kafka client properties from {@code kafka-properties-file}, empty if none. */
    public Properties kafkaProperties() {
        Properties props = new Properties();
        String file = get("kafka-properties-file");
        if (file != null) {
            props.putAll(readProperties(Paths.get(file), "kafka-properties-file"));
        }
        return props;
    }

    /**
     * The Kafka consumer properties of the job: the {@code kafka-properties-file} ones, the bootstrap
     * servers and group id of the options, and {@code isolation.level=read_committed} (records of
     * aborted transactions never become rows). Validation refuses a file that sets any of them
     * differently.
     */
    public Properties kafkaConsumerProperties() {
        Properties props = kafkaProperties();
        props.setProperty("bootstrap.servers", bootstrapServers());
        props.setProperty("group.id", groupId());
        props.setProperty("isolation.level", READ_COMMITTED);
        return props;
    }

    public boolean acceptLostKafkaRecords() {
        return bool("accept-lost-kafka-records");
    }

    public boolean acceptCommittedOffsetsGap() {
        return bool("accept-committed-offsets-gap");
    }

    /** A Kafka property in the file must not silently replace what an option or the job sets. */
    private void checkKafkaPropertiesConflicts(Properties file) {
        conflict(file, "bootstrap.servers", "'--bootstrap-servers'", bootstrapServers());
        conflict(file, "group.id", "'--group-id'", groupId());
        conflict(file, "isolation.level",
                "the job's setting (records of aborted Kafka transactions must never become rows)", READ_COMMITTED);
        String reset = file.getProperty("auto.offset.reset");
        if (reset != null) {
            throw new InvalidOptionException("kafka-properties-file",
                    "sets auto.offset.reset=" + reset.trim() + ", which conflicts with the job's auto.offset.reset=none"
                            + " (offsets Kafka no longer holds fail the job instead of jumping silently; see"
                            + " '--accept-lost-kafka-records' and '--starting-offsets'). Remove it from the file.");
        }
    }

    private static void conflict(Properties file, String property, String owner, String value) {
        String inFile = file.getProperty(property);
        boolean same = inFile != null
                && (property.equals("isolation.level") ? inFile.trim().equalsIgnoreCase(value) : inFile.trim().equals(value));
        if (inFile != null && !same) {
            throw new InvalidOptionException("kafka-properties-file",
                    "sets " + property + "=" + inFile.trim() + ", which conflicts with " + property + "=" + value
                            + " from " + owner + ". Remove it from the file"
                            + (owner.startsWith("'") ? " or give both the same value." : "."));
        }
    }

    /**
     * The Hadoop / Delta Kernel settings of {@code --table-conf key=value} (repeatable) for the
     * engines that write and read the job's tables; empty by default.
     */
    public Map<String, String> tableConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        String v = values.get(TABLE_CONF);
        if (v == null) {
            return conf;
        }
        for (String entry : v.split("\n")) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || entry.substring(0, eq).isBlank()) {
                throw new InvalidOptionException(TABLE_CONF,
                        "must be key=value (one setting per '--table-conf'), was '" + entry.trim() + "'");
            }
            conf.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return conf;
    }

    public long checkpointIntervalMs() {
        return positiveLong("checkpoint-interval-ms");
    }

    public String checkpointDir() {
        return get("checkpoint-dir");
    }

    public boolean rocksDb() {
        return get("state-backend").equalsIgnoreCase("rocksdb");
    }

    /** Whether checkpoints align barriers (exactly-once) or not (at-least-once). */
    public boolean exactlyOnce() {
        String v = get("delivery-guarantee").toLowerCase(Locale.ROOT);
        if (v.equals("exactly-once")) {
            return true;
        }
        if (v.equals("at-least-once")) {
            return false;
        }
        throw new InvalidOptionException("delivery-guarantee", "must be exactly-once or at-least-once, was '" + v + "'");
    }

    public boolean dedup() {
        return bool("dedup");
    }

    public Duration dedupTtl() {
        return Duration.ofDays(positiveLong("dedup-ttl-days"));
    }

    public int maxRecordBytes() {
        return positiveInt("max-record-bytes");
    }

    public int maxOrderIdBytes() {
        return positiveInt("max-order-id-bytes");
    }

    public int deadLetterMaxValueBytes() {
        return positiveInt("dead-letter-max-value-bytes");
    }

    public int parallelism() {
        return (int) nonNegativeLong("parallelism");
    }

    public long targetFileSizeBytes() {
        return positiveLong("target-file-size-mb") * 1024 * 1024;
    }

    public int restartAttempts() {
        return (int) nonNegativeLong("restart-attempts");
    }

    public String uidPrefix() {
        return get("uid-prefix");
    }

    /** Checkpoint ids to skip on restore if they cannot be committed; empty by default. */
    public java.util.Set<Long> skipCheckpointsOnRestore() {
        String v = values.get("skip-checkpoints-on-restore");
        java.util.Set<Long> ids = new java.util.TreeSet<>();
        if (v == null || v.isBlank()) {
            return ids;
        }
        for (String part : v.split(",")) {
            try {
                long id = Long.parseLong(part.trim());
                if (id <= 0) {
                    throw new NumberFormatException();
                }
                ids.add(id);
            } catch (NumberFormatException e) {
                throw new InvalidOptionException(
                        "skip-checkpoints-on-restore",
                        "must list positive checkpoint ids separated by commas (the id a failed commit names), was '" + v + "'");
            }
        }
        return ids;
    }

    /** The Flink API the job's Delta sinks are built on ({@code --sink-api}). */
    public DeltaSink.Api sinkApi() {
        String api = values.get("sink-api");
        if (api == null) {
            return FlinkLine.DEFAULT_API;
        }
        switch (api.toLowerCase(Locale.ROOT)) {
            case "v1":
                if (!FlinkLine.supports(DeltaSink.Api.SINK_FUNCTION)) {
                    throw new InvalidOptionException(
                            "sink-api", "v1 (the SinkFunction sink) does not exist on Flink " + FlinkLine.NAME + "; use v2");
                }
                return DeltaSink.Api.SINK_FUNCTION;
            case "v2":
                return DeltaSink.Api.SINK_V2;
            default:
                throw new InvalidOptionException("sink-api", "must be v1 or v2, was '" + values.get("sink-api") + "'");
        }
    }

    public boolean allowRewind() {
        return bool("allow-rewind");
    }

    /** The checkpoint or savepoint an embedded run restores, if any. */
    public Optional<String> restoreFrom() {
        return Optional.ofNullable(get("restore-from"));
    }

    /**
     * Whether an embedded run without {@code --restore-from} restores the latest complete retained
     * checkpoint of this job in {@code --checkpoint-dir} ({@code local.RetainedCheckpoints}).
     */
    public boolean autoResume() {
        return bool("auto-resume");
    }

    /** A copy with some options replaced (validated again). */
    public JobConfig with(String key, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return fromMap(copy);
    }

    public static String usage() {
        StringBuilder sb = new StringBuilder("Options (--key value; --config <file.properties> for a file):\n");
        for (JobOption o : OPTIONS) {
            sb.append(String.format("  --%-22s %s%s%n", o.key(), o.description(),
                    o.isRequired() ? " (required)" : " (default " + o.defaultValue() + ")"));
        }
        return sb.toString();
    }

    private boolean bool(String key) {
        String v = get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new InvalidOptionException(key, "must be true or false, was '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private long longValue(String key) {
        try {
            return Long.parseLong(get(key));
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(key, "must be a whole number, was '" + get(key) + "'");
        }
    }

    private long positiveLong(String key) {
        long v = longValue(key);
        if (v <= 0) {
            throw new InvalidOptionException(key, "must be positive, was " + v);
        }
        return v;
    }

    private int positiveInt(String key) {
        long v = positiveLong(key);
        if (v > Integer.MAX_VALUE) {
            throw new InvalidOptionException(key, "must be below 2 GiB, was " + v);
        }
        return (int) v;
    }

    private long nonNegativeLong(String key) {
        long v = longValue(key);
        if (v < 0) {
            throw new InvalidOptionException(key, "must not be negative, was " + v);
        }
        return v;
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Map<String, String> readProperties(Path file, String option) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new InvalidOptionException(option, "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> map = new HashMap<>();
        props.forEach((k, v) -> map.put(k.toString(), v.toString()));
        return map;
    }

    @Override
    public String toString() {
        List<String> keys = new ArrayList<>(values.keySet());
        keys.sort(null);
        return keys.stream().map(k -> k + "=" + values.get(k)).collect(Collectors.joining(", ", "JobConfig{", "}"));
    }
}
