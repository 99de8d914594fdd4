package io.exactlyonce.tools;

import io.exactlyonce.job.JobRuns;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;


/**
 * Writes the golden savepoints that {@link GoldenSavepointsITCase} restores, into {@code
 * src/test/resources/golden/<backend>/}. Not part of the test run (its name matches neither
 * {@code *Test} nor {@code *ITCase}): run it only when the savepoint format is meant to change, and
 * say so in the release notes:
 * {@code mvn -pl state-tools -am verify -Dtest=RegenerateGoldenSavepoints -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RegenerateGoldenSavepoints extends GoldenTopicRun {

    @ParameterizedTest
    @ValueSource(strings = {"rocksdb", "hashmap"})
    void regenerate(String backend) throws Exception {
        Orders.produce(kafka.bootstrapServers(), TOPIC, PARTITIONS, PREFIX, Orders.range(0, GOLDEN_ORDERS));
        JobConfig config = JobConfig.fromMap(Jobs.options(kafka.bootstrapServers(), TOPIC, tmp, backend));
        JobClient job = Jobs.submit(config, null, "golden-" + backend);
        JobRuns.awaitRows(config.tablePath(), GOLDEN_ORDERS);
        Thread.sleep(1_500); // idle checkpoints: the savepoint's transactions hold no files
        String savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        JobRuns.awaitTermination(job);
        Path target = Paths.get("src/test/resources/golden", backend);
        copy(Paths.get(java.net.URI.create(savepoint)), target);
    }

    private static void copy(Path from, Path to) throws Exception {
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                for (Path p : (Iterable<Path>) old.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else if (!p.getFileName().toString().endsWith(".crc")) {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
