package io.exactlyonce.delta.sink.core;

import io.delta.kernel.Snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The source progress a sink recorded in its Delta table: the positions of the newest checkpoint
 * whose commit landed, kept as Delta domain metadata in the same commit as that checkpoint's files.
 *
 * <p>Why domain metadata: it is written atomically with the data, lives in the table's snapshot
 * (it survives log checkpoints and log compaction, and is read without replaying history), and is
 * plain Delta that any reader ignores safely. Each sink owns one domain, {@code
 * io.exactlyonce.progress.<progressId>} (by default the sink's uid prefix, stable across runs, so
 * a job started without state finds its own progress and never another job's). Its config is JSON:
 * {@code {"version":1,"checkpointId":N,"positions":{"<key>":<position>,...}}}. The cost: the first
 * progress commit enables the {@code domainMetadata} writer feature (writer protocol 7); readers
 * are unaffected, writers that do not support table features can no longer write to the table.
 */
public final class TableProgress {

    private static final String DOMAIN_PREFIX = "io.exactlyonce.progress.";

    /** The table property that enables the {@code domainMetadata} writer feature. */
    static final Map<String, String> FEATURE_PROPERTY = Map.of("delta.feature.domainMetadata", "supported");
    private static final JsonFactory JSON = new JsonFactory();

    private TableProgress() {}

    /** The domain name a sink with this progress id records its progress under. */
    public static String domain(String progressId) {
        return DOMAIN_PREFIX + progressId;
    }

    /** The progress recorded in the snapshot for the progress id, if any. */
    public static Optional<SourceProgress> read(Snapshot snapshot, String progressId) {
        return snapshot.getDomainMetadata(domain(progressId)).map(TableProgress::decode);
    }

    static String encode(SourceProgress progress, long checkpointId) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeNumberField("version", 1);
            g.writeNumberField("checkpointId", checkpointId);
            g.writeObjectFieldStart("positions");
            for (Map.Entry<String, Long> e : progress.positions().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    static SourceProgress decode(String config) {
        Map<String, Long> positions = new HashMap<>();
        try (JsonParser p = JSON.createParser(config)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, config);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("version")) {
                    expect(value == JsonToken.VALUE_NUMBER_INT && p.getIntValue() == 1, config);
                } else if (field.equals("positions")) {
                    expect(value == JsonToken.START_OBJECT, config);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        expect(p.nextToken() == JsonToken.VALUE_NUMBER_INT, config);
                        positions.put(key, p.getLongValue());
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable source progress in the table: " + config, e);
        }
        return SourceProgress.of(positions);
    }

    private static void expect(boolean condition, String config) {
        if (!condition) {
            throw new IllegalStateException(
                    "Source progress in the table has an unknown format (written by a newer release?): "
                            + config);
        }
    }
}
