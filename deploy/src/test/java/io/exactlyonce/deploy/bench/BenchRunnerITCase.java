package io.exactlyonce.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.exactlyonce.delta.sink.read.DeltaTableScanner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Tests for {@link BenchRunner}: a small real run (own Kafka broker, 20,000 records, parallelism 1,
 * variants a–d each in its own JVM, no streaming phase) writes its result files, and the tables of
 * (a) and (c), read back here, hold exactly the loaded orders — the figures the harness reports
 * come from complete outputs.
 */
class BenchRunnerITCase {

    @TempDir
    Path out;

    @Test
    void smallRunWritesResultsAndExactOutputs() throws Exception {
        BenchOptions options = BenchOptions.parse(
                "--records", "20000", "--parallelism", "1", "--variants", "a,b,c,d",
                "--checkpoint-interval-ms", "500", "--heap", "768m", "--streaming", "false",
                "--out-dir", out.toString(), "--keep-data", "true", "--timeout-minutes", "5");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        int exit = BenchRunner.run(options, new PrintStream(console, true, StandardCharsets.UTF_8));

        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(exit).as(printed).isZero();
        Path results;
        try (Stream<Path> dirs = Files.list(out)) {
            results = dirs.findFirst().orElseThrow();
        }
        for (String file : List.of("results.json", "results.csv", "summary.txt", "throughput.png")) {
            assertThat(results.resolve(file)).isNotEmptyFile();
        }
        assertThat(results.resolve("streaming.csv")).exists(); // no streaming phase in this run
        assertThat(Files.readAllLines(results.resolve("results.csv"))).hasSize(5);
        assertThat(printed).contains("(a)/(d)", "(a)/(b)", "(a)/(c)", "Targets");

        JsonNode json = new ObjectMapper().readTree(results.resolve("results.json").toFile());
        long records = json.path("input").path("records").asLong();
        long distinct = json.path("input").path("distinct").asLong();
        long malformed = json.path("input").path("malformed").asLong();
        assertThat(records).isEqualTo(20_000);
        Map<String, JsonNode> byVariant = new java.util.HashMap<>();
        json.path("variants").forEach(v -> byVariant.put(v.path("variant").asText(), v));
        assertThat(byVariant.keySet()).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(byVariant.get("a").path("rowsWritten").asLong()).isEqualTo(distinct);
        assertThat(byVariant.get("c").path("rowsWritten").asLong()).isEqualTo(distinct);
        assertThat(byVariant.get("b").path("rowsWritten").asLong()).isEqualTo(records - malformed);
        assertThat(byVariant.get("d").path("rowsWritten").asLong()).isEqualTo(records);
        byVariant.values().forEach(v -> {
            assertThat(v.path("exact").asBoolean()).as(v.toString()).isTrue();
            assertThat(v.path("cpuSeconds").asDouble()).isPositive();
            assertThat(v.path("peakHeapMb").asDouble()).isPositive();
            assertThat(v.path("startupSeconds").asDouble()).isPositive();
        });

        Set<String> expected = LongStream.range(0, distinct).mapToObj(i -> "o" + i).collect(Collectors.toSet());
        Path data = results.resolve("data");
        List<String> deltaIds = new ArrayList<>();
        new DeltaTableScanner(data.resolve("a-p1/table").toUri().toString(), Map.of())
                .scan(List.of("order_id"), row -> deltaIds.add(row.getString(0)));
        assertThat(deltaIds).hasSize(expected.size());
        assertThat(new HashSet<>(deltaIds)).isEqualTo(expected);

        List<String> fileIds = new ArrayList<>();
        for (FileSinkOutput.FinishedFile f : FileSinkOutput.read(data.resolve("c-p1/table"), Map.of(), 0)) {
            ParquetColumns.strings(f.path(), "order_id", fileIds::add);
        }
        assertThat(fileIds).hasSize(expected.size());
        assertThat(new HashSet<>(fileIds)).isEqualTo(expected);
    }
}
