package io.exactlyonce.tools;

import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.rowdata.RowDataDeltaWriter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code orphans} on real tables written by the sink's writer and committer (with Kernel's own
 * checkpoints), with files removed by a later commit (tombstones before and after the checkpoint),
 * planted unreferenced files of several ages, a quarantine record, and partition values that need
 * escaping: lists exactly the unreferenced files, and deletes only the old, unquarantined ones.
 */
class OrphansTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void listsExactlyTheUnreferencedFilesAndDeletesOnlyOldUnquarantinedOnes() throws Exception {
        Path dir = tmp.resolve("orders");
        String table = dir.toUri().toString();
        OrdersTableGenerator.write(table, "a", 0, 300);                 // v1
        OrdersTableGenerator.write(table, "b", 0, 300);                 // v2
        String removedBeforeCheckpoint = firstAddedPath(dir, 1);
        removeCommit(dir, 3, removedBeforeCheckpoint);                  // v3: a tombstone the checkpoint keeps
        for (int i = 0; i < 8; i++) {                                   // v4..v11, checkpoint at v10
            OrdersTableGenerator.write(table, "c" + i, 0, 50);
        }
        assertThat(dir.resolve("_delta_log/00000000000000000010.checkpoint.parquet")).exists();
        String removedAfterCheckpoint = firstAddedPath(dir, 11);
        removeCommit(dir, 12, removedAfterCheckpoint);                  // v12: a tombstone in a JSON commit

        Path partition = dir.resolve(decoded(removedBeforeCheckpoint)).getParent();
        Path oldOrphan = plant(partition.resolve("part-crashed-writer.parquet"), Duration.ofDays(3));
        Path youngOrphan = plant(dir.resolve("part-just-staged.parquet"), Duration.ZERO);
        Path quarantined = plant(partition.resolve("part-skipped-checkpoint.parquet"), Duration.ofDays(3));
        Files.createDirectories(dir.resolve("_quarantine"));
        Files.writeString(dir.resolve("_quarantine/checkpoint-7-app.json"),
                "{\"appId\":\"app\",\"checkpointId\":7,\"path\":\"" + quarantined.toUri() + "\",\"size\":3}\n");
        plant(dir.resolve("_quarantine/part-ignored.parquet"), Duration.ofDays(3));
        plant(partition.resolve(".part-hidden.parquet.crc"), Duration.ofDays(3));
        Set<Path> referenced = new HashSet<>(liveFiles(dir));
        referenced.add(dir.resolve(decoded(removedBeforeCheckpoint)));
        referenced.add(dir.resolve(decoded(removedAfterCheckpoint)));

        Jobs.Result listing = Jobs.tool("orphans", table, "--json");
        assertThat(listing.exitCode()).as(listing.err()).isZero();
        assertThat(orphanPaths(dir, listing)).containsExactlyInAnyOrder(oldOrphan, youngOrphan, quarantined);

        Jobs.Result refused = Jobs.tool("orphans", table, "--delete");
        assertThat(refused.exitCode()).isEqualTo(StateTools.BAD_INPUT);
        assertThat(refused.err()).contains("'--older-than <duration>'");
        assertThat(Jobs.tool("orphans", table, "--older-than", "soon").err()).contains("'--older-than' 'soon'");

        Jobs.Result deleted = Jobs.tool("orphans", table, "--delete", "--older-than", "1d");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("deleted 1 files");
        assertThat(oldOrphan).doesNotExist();
        assertThat(youngOrphan).as("younger than --older-than").exists();
        assertThat(quarantined).as("recorded in _quarantine").exists();
        assertThat(referenced).allSatisfy(file -> assertThat(file).exists());
        assertThat(orphanPaths(dir, Jobs.tool("orphans", table, "--json")))
                .containsExactlyInAnyOrder(youngOrphan, quarantined);
    }

    @Test
    void neverCallsALiveFileAnOrphanWhateverItsPartitionValue() throws Exception {
        Path dir = tmp.resolve("escaped");
        String table = dir.toUri().toString();
        Random random = new Random(42);
        List<String> values = new ArrayList<>(List.of("a b", "x:y", "p%25q", "ü/ß", "=", "#?&", "日本", "tab\there",
                "quote\"'", "plus+sign", "back\\slash", "emoji😀", " "));
        for (int i = 0; i < 20; i++) {
            values.add(randomText(random));
        }
        writePartitioned(dir, values);
        List<Path> live = liveFiles(dir);
        assertThat(live).hasSizeGreaterThanOrEqualTo(values.size() / 2);

        Jobs.Result result = Jobs.tool("orphans", table, "--delete", "--older-than", "0s", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(orphanPaths(dir, result)).as(result.out()).isEmpty();
        assertThat(live).allSatisfy(file -> assertThat(file).exists());
    }

    @Test
    void refusesATableWhoseNewestCheckpointItCannotRead() throws Exception {
        Path dir = tmp.resolve("v2");
        String table = dir.toUri().toString();
        OrdersTableGenerator.write(table, "a", 0, 100);
        Path orphan = plant(dir.resolve("part-crashed-writer.parquet"), Duration.ofDays(3));
        Files.writeString(dir.resolve("_delta_log/00000000000000000001.checkpoint." + UUID.randomUUID() + ".json"), "{}\n");

        Jobs.Result result = Jobs.tool("orphans", table, "--delete", "--older-than", "1d");
        assertThat(result.exitCode()).isEqualTo(StateTools.CHECK_FAILED);
        assertThat(result.err()).contains("V2 checkpoint");
        assertThat(orphan).as("nothing deleted").exists();
    }

    @Test
    void aMissingTableExitsTwo() {
        Jobs.Result result = Jobs.tool("orphans", tmp.resolve("none").toString());
        assertThat(result.exitCode()).isEqualTo(StateTools.BAD_INPUT);
        assertThat(result.err()).contains("is not a Delta table");
    }

    /** One commit of one row per value, partitioned by the value. */
    private static void writePartitioned(Path dir, List<String> values) throws Exception {
        String table = dir.toUri().toString();
        Engine engine = KernelEngines.create(Map.of());
        RowType rowType = RowType.of(new org.apache.flink.table.types.logical.LogicalType[] {
            new VarCharType(false, VarCharType.MAX_LENGTH), new VarCharType(true, VarCharType.MAX_LENGTH)},
                new String[] {"id", "part"});
        StructType schema = DeltaSchemaConverter.toDeltaSchema(rowType);
        List<String> partitionColumns = List.of("part");
        Snapshot snapshot = DeltaTableBootstrap.ensureTable(engine, table, schema, partitionColumns, Map.of());
        DeltaTransaction txn = new DeltaTransaction(UUID.randomUUID().toString());
        try (RowDataDeltaWriter writer = new RowDataDeltaWriter(engine,
                snapshot.buildUpdateTableTransaction("test", Operation.WRITE).build(engine).getTransactionState(engine),
                rowType, schema, partitionColumns, 1024, values.size() + 1, "test")) {
            for (int i = 0; i < values.size(); i++) {
                writer.write(GenericRowData.of(StringData.fromString("id-" + i), StringData.fromString(values.get(i))));
            }
            writer.flush().forEach(txn::add);
        }
        txn.seal(1);
        new DeltaCommitter(engine, table, schema, partitionColumns, CommitRetryPolicy.defaults()).commit(txn);
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(12);
        while (text.length() < length) {
            int cp = random.nextInt(4) == 0 ? 0x20 + random.nextInt(0x60) : 0x80 + random.nextInt(0x2FF00);
            if (Character.isDefined(cp) && !Character.isSurrogate((char) cp) && cp != '/' && !Character.isISOControl(cp)) {
                text.appendCodePoint(cp);
            }
        }
        return text.toString();
    }

    /** The files of the table's live version, as Kernel's scan sees them. */
    private static List<Path> liveFiles(Path dir) throws Exception {
        Set<String> adds = new HashSet<>();
        Set<String> removes = new HashSet<>();
        try (Stream<Path> commits = Files.list(dir.resolve("_delta_log"))) {
            for (Path commit : commits.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).sorted()
                    .collect(Collectors.toList())) {
                for (String line : Files.readAllLines(commit, StandardCharsets.UTF_8)) {
                    JsonNode action = JSON.readTree(line);
                    if (action.has("add")) {
                        adds.add(action.get("add").get("path").asText());
                    } else if (action.has("remove")) {
                        removes.add(action.get("remove").get("path").asText());
                    }
                }
            }
        }
        adds.removeAll(removes);
        return adds.stream().map(p -> dir.resolve(decoded(p))).collect(Collectors.toList());
    }

    private static String firstAddedPath(Path dir, long version) throws Exception {
        for (String line : Files.readAllLines(dir.resolve(String.format("_delta_log/%020d.json", version)))) {
            JsonNode action = JSON.readTree(line);
            if (action.has("add")) {
                return action.get("add").get("path").asText();
            }
        }
        throw new AssertionError("version " + version + " adds no file");
    }

    /** Writes commit {@code version} removing {@code path}, as another Delta writer would. */
    private static void removeCommit(Path dir, long version, String path) throws Exception {
        long now = System.currentTimeMillis();
        Files.writeString(dir.resolve(String.format("_delta_log/%020d.json", version)),
                "{\"commitInfo\":{\"timestamp\":" + now + ",\"operation\":\"DELETE\",\"engineInfo\":\"test\"}}\n"
                        + "{\"remove\":{\"path\":" + JSON.writeValueAsString(path) + ",\"deletionTimestamp\":" + now
                        + ",\"dataChange\":true}}\n");
    }

    private static Path plant(Path file, Duration age) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    private static String decoded(String logPath) {
        return URI.create(logPath).getPath();
    }

    private static List<Path> orphanPaths(Path dir, Jobs.Result result) throws Exception {
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<Path> paths = new ArrayList<>();
        for (JsonNode orphan : JSON.readTree(result.out()).get("orphans")) {
            if (!orphan.get("deleted").asBoolean()) {
                paths.add(dir.resolve(orphan.get("path").asText()));
            }
        }
        return paths;
    }
}
