package io.exactlyonce.delta.sink.core;

import io.delta.storage.CloseableIterator;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LocalFileLogStore}: of several writers of one log version, each with its own store
 * instance (as two jobs or two engines have), exactly one wins and the file holds its content;
 * the others get {@link FileAlreadyExistsException}. Overwrites and stale Hadoop checksums leave a
 * file Hadoop's local file system reads without a checksum error.
 */
class LocalFileLogStoreTest {

    private static final int WRITERS = 8;
    private static final int VERSIONS = 300;

    @TempDir java.nio.file.Path tmp;

    @Test
    void ofConcurrentWritersOfOneVersionExactlyOneWinsAndItsContentStays() throws Exception {
        Configuration conf = new Configuration();
        Path log = new Path(tmp.resolve("_delta_log").toUri());
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int version = 0; version < VERSIONS; version++) {
                Path file = new Path(log, String.format("%020d.json", version));
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> attempts = new ArrayList<>();
                for (int writer = 0; writer < WRITERS; writer++) {
                    String content = "{\"writer\":" + writer + "}";
                    LocalFileLogStore store = new LocalFileLogStore(conf);
                    attempts.add(pool.submit(() -> {
                        start.await();
                        try {
                            store.write(file, List.of(content, content).iterator(), false, conf);
                            return true;
                        } catch (FileAlreadyExistsException lost) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                List<Integer> winners = new ArrayList<>();
                for (int writer = 0; writer < WRITERS; writer++) {
                    if (attempts.get(writer).get()) {
                        winners.add(writer);
                    }
                }
                assertThat(winners).as("writers of version %s that were told they won", version).hasSize(1);
                String expected = "{\"writer\":" + winners.get(0) + "}";
                assertThat(read(file, conf)).containsExactly(expected, expected);
            }
        } finally {
            pool.shutdownNow();
        }
        try (var names = Files.list(tmp.resolve("_delta_log"))) {
            assertThat(names.map(p -> p.getFileName().toString()))
                    .as("no temporary or checksum files left")
                    .allMatch(name -> name.matches("\\d{20}\\.json"))
                    .hasSize(VERSIONS);
        }
    }

    @Test
    void anOverwriteReplacesTheFileAndAStaleHadoopChecksumIsNotCheckedAgainstIt() throws Exception {
        Configuration conf = new Configuration();
        Path file = new Path(tmp.resolve("_delta_log").resolve("_last_checkpoint").toUri());
        FileSystem local = FileSystem.getLocal(conf);
        try (FSDataOutputStream out = local.create(file, true)) { // writes .<name>.crc next to it
            out.write("{\"version\":1}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(tmp.resolve("_delta_log").resolve("._last_checkpoint.crc")).exists();

        new LocalFileLogStore(conf).write(file, List.of("{\"version\":22}").iterator(), true, conf);

        assertThat(read(file, conf)).containsExactly("{\"version\":22}");
        try (var in = local.open(file)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"version\":22}\n");
        }
    }

    @Test
    void writingAnExistingVersionFailsAndLeavesItUntouched() throws Exception {
        Configuration conf = new Configuration();
        Path file = new Path(tmp.resolve("_delta_log").resolve("00000000000000000000.json").toUri());
        LocalFileLogStore store = new LocalFileLogStore(conf);
        store.write(file, List.of("first").iterator(), false, conf);

        assertThatThrownBy(() -> store.write(file, List.of("second").iterator(), false, conf))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("00000000000000000000.json");
        assertThat(read(file, conf)).containsExactly("first");
    }

    private static List<String> read(Path file, Configuration conf) throws Exception {
        List<String> lines = new ArrayList<>();
        try (CloseableIterator<String> it = new LocalFileLogStore(conf).read(file, conf)) {
            it.forEachRemaining(lines::add);
        }
        return lines;
    }
}
