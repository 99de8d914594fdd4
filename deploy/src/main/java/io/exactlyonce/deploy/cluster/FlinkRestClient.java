package io.exactlyonce.deploy.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The calls a CI/CD pipeline makes to a Flink 1.20 session cluster, over its REST API: upload a jar,
 * run it with program arguments, parallelism and an optional savepoint to restore, read a job's
 * state, checkpoint counts and root exception, and stop a job with a savepoint.
 *
 * <p>Failures: an HTTP status other than 2xx throws {@link FlinkRestException} with the cluster's
 * error text (a refused restore, an unknown job, a failed jar run); a connection failure throws the
 * {@link IOException} of the HTTP client. Nothing is retried here: the callers decide.
 */
public final class FlinkRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    public FlinkRestClient(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Uploads a job jar; returns the jar id the cluster gave it. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----exactly-once-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                        + "Content-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        String filename = send(request).path("filename").asText();
        return Path.of(filename).getFileName().toString();
    }

    /**
     * Runs an uploaded jar; returns the job id. {@code savepoint} restores that savepoint (state that
     * maps onto no operator of the new graph fails the job: non-restored state is never allowed).
     */
    public String runJar(String jarId, List<String> programArgs, int parallelism, Optional<String> savepoint)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("programArgsList").addAll(programArgs.stream().map(JSON.getNodeFactory()::textNode).toList());
        if (parallelism > 0) {
            body.put("parallelism", parallelism);
        }
        savepoint.ifPresent(path -> body.put("savepointPath", path));
        body.put("allowNonRestoredState", false);
        return send(post("jars/" + jarId + "/run", body, Duration.ofMinutes(5))).path("jobid").asText();
    }

    /** The job's state: CREATED, RUNNING, RESTARTING, FAILED, FINISHED, CANCELED, … */
    public String jobState(String jobId) throws IOException, InterruptedException {
        return job(jobId).path("state").asText();
    }

    /** Whether the job is RUNNING with every task of every vertex running (deployed and started). */
    public boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        JsonNode job = job(jobId);
        if (!job.path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            if (!vertex.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    /** Completed checkpoints of this job run (a restored savepoint does not count). */
    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return get("jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** The job's most recent root exception, if it has failed or restarted. */
    public Optional<String> rootException(String jobId) throws IOException, InterruptedException {
        JsonNode root = get("jobs/" + jobId + "/exceptions").path("root-exception");
        return root.isMissingNode() || root.isNull() ? Optional.empty() : Optional.of(root.asText());
    }

    /** Ids of the jobs in the given state (e.g. RUNNING). */
    public List<String> jobsIn(String state) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (JsonNode job : get("jobs/overview").path("jobs")) {
            if (job.path("state").asText().equals(state)) {
                ids.add(job.path("jid").asText());
            }
        }
        return ids;
    }

    /** Registered TaskManagers and their free slots. */
    public JsonNode taskManagers() throws IOException, InterruptedException {
        return get("taskmanagers").path("taskmanagers");
    }

    public void cancel(String jobId) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(base.resolve("jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build());
    }

    /**
     * Stop-with-savepoint: a savepoint under {@code targetDirectory} (or the cluster's {@code
     * state.savepoints.dir} if null), then the job finishes; {@code drain} ends the input first (event
     * time to the end, the sink commits its last files). Returns the trigger id to poll.
     */
    public String triggerStop(String jobId, String targetDirectory, boolean drain)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        if (targetDirectory != null) {
            body.put("targetDirectory", targetDirectory);
        }
        body.put("drain", drain);
        return send(post("jobs/" + jobId + "/stop", body, Duration.ofSeconds(30))).path("request-id").asText();
    }

    /**
     * The outcome of a savepoint trigger: empty while in progress, else the savepoint location, or a
     * {@link FlinkRestException} with the failure cause.
     */
    public Optional<String> savepointResult(String jobId, String triggerId) throws IOException, InterruptedException {
        JsonNode status = get("jobs/" + jobId + "/savepoints/" + triggerId);
        if (!status.path("status").path("id").asText().equals("COMPLETED")) {
            return Optional.empty();
        }
        JsonNode operation = status.path("operation");
        if (operation.has("location")) {
            return Optional.of(operation.path("location").asText());
        }
        throw new FlinkRestException("the savepoint of job " + jobId + " failed: "
                + operation.path("failure-cause").path("stack-trace").asText(operation.toString()));
    }

    private JsonNode job(String jobId) throws IOException, InterruptedException {
        return get("jobs/" + jobId);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private HttpRequest post(String path, JsonNode body, Duration timeout) throws IOException {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new FlinkRestException(request.method() + " " + request.uri().getPath() + " answered "
                    + response.statusCode() + ": " + errors(response.body()));
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private static String errors(String body) {
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray()) {
                List<String> lines = new ArrayList<>();
                errors.forEach(e -> lines.add(e.asText()));
                return String.join("\n", lines);
            }
        } catch (IOException notJson) {
            // the body as it is
        }
        return body;
    }
}
