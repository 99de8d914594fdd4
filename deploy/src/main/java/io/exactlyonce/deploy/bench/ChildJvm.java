package io.exactlyonce.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts one benchmark child JVM: this JVM's java and class path, the same heap limit and JVM flags
 * for every variant (G1, the {@code --add-opens} Flink needs on Java 17, the children's log
 * configuration), output to {@code child.log} in the variant's directory, and a temp directory of its
 * own (Flink's MiniCluster and RocksDB files), deleted once the child has exited. {@link #launchMillis} is
 * taken just before the process starts: the "command start" of every figure.
 */
final class ChildJvm {

    /** The JDK flags Flink, Hadoop and Kafka need on Java 17 (the same as deploy/common.sh). */
    static final List<String> OPENS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.sql/java.sql=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED");

    final Process process;
    final long launchMillis;
    final Path log;
    private final Path tmp;

    private ChildJvm(Process process, long launchMillis, Path log, Path tmp) {
        this.process = process;
        this.launchMillis = launchMillis;
        this.log = log;
        this.tmp = tmp;
    }

    static ChildJvm start(Path dir, String heap, Class<?> main, Map<String, String> properties, List<String> args)
            throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-Xms" + heap);
        command.add("-XX:+UseG1GC");
        command.addAll(OPENS);
        // a short temp directory of its own (RocksDB limits path lengths), deleted when the child is awaited
        Path tmp = Files.createTempDirectory("bench-");
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-Dlog4j.configurationFile=log4j2-bench.properties");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        Path log = dir.resolve("child.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long launch = System.currentTimeMillis();
        return new ChildJvm(builder.start(), launch, log, tmp);
    }

    /** Waits for the exit; a child still running after {@code timeoutSeconds} is killed and reported. */
    int await(long timeoutSeconds) throws InterruptedException, IOException {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new IllegalStateException("Child did not finish within " + timeoutSeconds + " s; see " + log);
            }
            return process.exitValue();
        } finally {
            if (!process.isAlive()) {
                Dirs.deleteRecursively(tmp);
            }
        }
    }
}
