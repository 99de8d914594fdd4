package io.exactlyonce.deploy.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Command line of {@code deploy/flink-rest.sh}: job submission and control on a Flink session
 * cluster through its REST API, the calls of a CI/CD pipeline. Prints only the result (a job id, a
 * savepoint path, a state) on stdout so scripts can capture it; messages go to stderr.
 *
 * <pre>
 *   submit &lt;jar&gt; [--parallelism N] [--savepoint PATH] [--] &lt;job args…&gt;   prints the job id
 *   status &lt;job id&gt;                                                       prints the state and checkpoint count
 *   await &lt;job id&gt; [--checkpoints N] [--fail-on-restart] [--timeout-s S]  waits until it runs with N checkpoints
 *   stop &lt;job id&gt; [--savepoint-dir DIR] [--drain] [--timeout-s S]        prints the savepoint path
 *   cancel &lt;job id&gt; | jobs [STATE] | taskmanagers | await-taskmanagers &lt;N&gt; [--timeout-s S]
 * </pre>
 *
 * The cluster is {@code --url} or {@code $FLINK_REST_URL} (default http://127.0.0.1:8081). Exit
 * codes: 0 done, 1 the operation failed (the cluster's reason on stderr), 2 bad usage.
 */
public final class FlinkRest {

    private final FlinkRestClient rest;
    private final PrintStream out;

    private FlinkRest(FlinkRestClient rest, PrintStream out) {
        this.rest = rest;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        String url = take(args, "--url").orElse(System.getenv().getOrDefault("FLINK_REST_URL", "http://127.0.0.1:8081"));
        if (args.isEmpty()) {
            err.println(usage());
            return 2;
        }
        String command = args.remove(0);
        try {
            new FlinkRest(new FlinkRestClient(url), out).execute(command, args);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(usage());
            return 2;
        } catch (IOException e) {
            err.println(command + " failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private void execute(String command, List<String> args) throws IOException, InterruptedException {
        switch (command) {
            case "submit" -> submit(args);
            case "status" -> out.println(rest.jobState(jobId(args)) + " completed-checkpoints="
                    + rest.completedCheckpoints(args.get(0)));
            case "await" -> await(args);
            case "stop" -> stop(args);
            case "cancel" -> rest.cancel(jobId(args));
            case "jobs" -> rest.jobsIn(args.isEmpty() ? "RUNNING" : args.get(0)).forEach(out::println);
            case "taskmanagers" -> out.println(rest.taskManagers().toPrettyString());
            case "await-taskmanagers" -> awaitTaskManagers(args);
            default -> throw new IllegalArgumentException("Unknown command '" + command + "'");
        }
    }

    private void submit(List<String> args) throws IOException, InterruptedException {
        int parallelism = take(args, "--parallelism").map(v -> positive(v, "--parallelism")).orElse(0);
        Optional<String> savepoint = take(args, "--savepoint");
        int split = args.indexOf("--");
        List<String> own = split < 0 ? args.subList(0, Math.min(1, args.size())) : args.subList(0, split);
        List<String> jobArgs = split < 0 ? args.subList(own.size(), args.size()) : args.subList(split + 1, args.size());
        if (own.size() != 1) {
            throw new IllegalArgumentException("submit takes one jar, got " + own);
        }
        Path jar = Path.of(own.get(0));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("No jar at '" + jar + "': build it with mvn -pl flink-job -am package");
        }
        String jarId = rest.uploadJar(jar);
        out.println(rest.runJar(jarId, List.copyOf(jobArgs), parallelism, savepoint));
    }

    private void await(List<String> args) throws IOException, InterruptedException {
        long checkpoints = take(args, "--checkpoints").map(v -> (long) positive(v, "--checkpoints")).orElse(1L);
        boolean failOnRestart = args.remove("--fail-on-restart");
        Duration timeout = timeout(args, 300);
        new JobWatch(rest).awaitCheckpoints(jobId(args), checkpoints, failOnRestart, timeout);
        out.println("RUNNING completed-checkpoints=" + rest.completedCheckpoints(args.get(0)));
    }

    /** Waits until the REST API answers and at least N TaskManagers are registered. */
    private void awaitTaskManagers(List<String> args) throws IOException, InterruptedException {
        Duration timeout = timeout(args, 120);
        if (args.size() != 1) {
            throw new IllegalArgumentException("await-taskmanagers takes the number of TaskManagers");
        }
        int wanted = positive(args.get(0), "await-taskmanagers");
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                int registered = rest.taskManagers().size();
                if (registered >= wanted) {
                    out.println(registered);
                    return;
                }
            } catch (IOException notUpYet) {
                last = notUpYet;
            }
            Thread.sleep(500);
        }
        throw new FlinkRestException("fewer than " + wanted + " TaskManagers registered within " + timeout
                + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
    }

    private void stop(List<String> args) throws IOException, InterruptedException {
        String dir = take(args, "--savepoint-dir").orElse(null);
        boolean drain = args.remove("--drain");
        Duration timeout = timeout(args, 600);
        out.println(new JobWatch(rest).stopWithSavepoint(jobId(args), dir, drain, timeout));
    }

    private static Duration timeout(List<String> args, int defaultSeconds) {
        return Duration.ofSeconds(take(args, "--timeout-s").map(v -> positive(v, "--timeout-s")).orElse(defaultSeconds));
    }

    private static String jobId(List<String> args) {
        if (args.size() != 1 || !args.get(0).matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("Expected one job id (32 hex digits), got " + args);
        }
        return args.get(0);
    }

    private static Optional<String> take(List<String> args, String option) {
        int at = args.indexOf(option);
        int end = args.indexOf("--");
        if (at < 0 || (end >= 0 && at > end)) {
            return Optional.empty();
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException("'" + option + "' needs a value");
        }
        args.remove(at);
        return Optional.of(args.remove(at));
    }

    private static int positive(String value, String option) {
        try {
            int v = Integer.parseInt(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("'" + option + "' must be a positive whole number, was '" + value + "'");
    }

    static String usage() {
        return String.join("\n",
                "Usage: deploy/flink-rest.sh [--url http://127.0.0.1:8081] <command>",
                "  submit <jar> [--parallelism N] [--savepoint PATH] [--] <job args...>   prints the job id",
                "  status <job id>                                                      prints state and checkpoints",
                "  await <job id> [--checkpoints N] [--fail-on-restart] [--timeout-s S]  waits until running with N checkpoints",
                "  stop <job id> [--savepoint-dir DIR] [--drain] [--timeout-s S]       prints the savepoint path",
                "  cancel <job id> | jobs [STATE] | taskmanagers | await-taskmanagers <N> [--timeout-s S]");
    }
}
