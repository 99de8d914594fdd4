package io.exactlyonce.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Watches a Flink child from the runner's JVM while it runs, so the child spends nothing on it
 * beyond serving REST: polls {@code /jobs/<id>/checkpoints} every {@code pollMillis} and keeps every
 * checkpoint seen (the history is raised in the child to hold them all); optionally lists a
 * FileSink output directory every 50 ms and records when each finished part file first appeared
 * (the FileSink makes a file visible by renaming it at checkpoint completion). Poll failures (the
 * endpoint not up yet, the cluster already gone) are ignored: a checkpoint the last poll missed is
 * simply absent from the figures.
 */
final class RunObserver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI checkpointsUri;
    private final Path watchedDir;
    private final long pollMillis;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Long, CheckpointStat> checkpoints = new TreeMap<>();
    private final Map<Path, Long> fileSeen = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    RunObserver(int restPort, String jobId, Path watchedDir, long pollMillis) {
        this.checkpointsUri = URI.create("http://127.0.0.1:" + restPort + "/jobs/" + jobId + "/checkpoints");
        this.watchedDir = watchedDir;
        this.pollMillis = pollMillis;
        threads.add(new Thread(this::pollCheckpoints, "bench-rest-poller"));
        if (watchedDir != null) {
            threads.add(new Thread(this::watchFiles, "bench-file-watcher"));
        }
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
    }

    /** Every checkpoint seen so far, by id. */
    synchronized List<CheckpointStat> checkpoints() {
        return new ArrayList<>(checkpoints.values());
    }

    /** The first time each finished file was seen. */
    Map<Path, Long> fileSeen() {
        return Map.copyOf(fileSeen);
    }

    /** Whether a checkpoint has completed (the job runs and its source is assigned). */
    synchronized boolean anyCompleted() {
        return checkpoints.values().stream().anyMatch(CheckpointStat::completed);
    }

    /** One poll now (e.g. right before stopping a child). */
    void pollOnce() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(checkpointsUri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return;
            }
            JsonNode history = JSON.readTree(response.body()).path("history");
            synchronized (this) {
                for (JsonNode c : history) {
                    CheckpointStat stat = new CheckpointStat(
                            c.path("id").asLong(),
                            c.path("status").asText(),
                            c.path("trigger_timestamp").asLong(),
                            c.path("latest_ack_timestamp").asLong(),
                            c.path("end_to_end_duration").asLong(),
                            c.path("checkpointed_size").asLong(),
                            c.path("state_size").asLong());
                    checkpoints.put(stat.id(), stat);
                }
            }
        } catch (IOException notUpOrGone) {
            // the endpoint is not up yet or the cluster has shut down
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollCheckpoints() {
        while (running) {
            pollOnce();
            sleep(pollMillis);
        }
    }

    private void watchFiles() {
        while (running) {
            if (Files.isDirectory(watchedDir)) {
                long now = System.currentTimeMillis();
                try (Stream<Path> files = Files.walk(watchedDir)) {
                    files.filter(FileSinkOutput::isFinishedPart).forEach(f -> fileSeen.putIfAbsent(f, now));
                } catch (IOException | java.io.UncheckedIOException racingRename) {
                    // a file renamed while listing; the next round sees it
                }
            }
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
    }
}
