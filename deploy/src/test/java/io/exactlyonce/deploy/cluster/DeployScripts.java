package io.exactlyonce.deploy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the deploy scripts ({@code deploy/cluster.sh}, {@code deploy/upgrade.sh}, …) as a user would,
 * against a cluster of the test's own: its run directory, free REST and RPC ports, and the test's
 * class path as the tools' class path (no Maven build inside the test). Each run's output goes to a
 * log file in the run directory; a script that fails or outlives its timeout fails the test with
 * that output.
 */
final class DeployScripts {

    /** The outcome of one script run. */
    record Result(int exitCode, String stdout, String output) {}

    private final Path root;
    private final Path runDir;
    private final int restPort;
    private final int rpcPort;
    private int runs;

    DeployScripts(Path root, Path runDir) {
        this.root = root;
        this.runDir = runDir;
        this.restPort = freePort();
        this.rpcPort = freePort();
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    Path runDir() {
        return runDir;
    }

    /** Runs {@code deploy/<script> args…}; throws unless it exits with 0. */
    Result runOk(String script, List<String> args, long timeoutSeconds) throws Exception {
        Result result = run(script, args, timeoutSeconds);
        if (result.exitCode() != 0) {
            throw new AssertionError(script + " " + args + " exited with " + result.exitCode() + ":\n" + result.output());
        }
        return result;
    }

    Result run(String script, List<String> args, long timeoutSeconds) throws Exception {
        Files.createDirectories(runDir);
        int n = ++runs;
        Path stdout = runDir.resolve("script-" + n + ".out");
        Path stderr = runDir.resolve("script-" + n + ".err");
        List<String> command = new ArrayList<>();
        command.add(root.resolve("deploy").resolve(script).toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> env = builder.environment();
        env.put("CLUSTER_DIR", runDir.toString());
        env.put("FLINK_REST_PORT", Integer.toString(restPort));
        env.put("FLINK_RPC_PORT", Integer.toString(rpcPort));
        env.put("FLINK_REST_URL", restUrl());
        env.put("TOOLS_CLASSPATH", System.getProperty("java.class.path"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("FLINK_HOME");
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(script + " " + args + " did not end within " + timeoutSeconds + " s:\n"
                    + Files.readString(stdout) + Files.readString(stderr));
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        return new Result(process.exitValue(), out, out + Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** The pid in {@code <run dir>/pids/<name>.pid}. */
    long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(runDir.resolve("pids").resolve(name + ".pid")).trim());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
