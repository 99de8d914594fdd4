package io.exactlyonce.job;

import io.exactlyonce.job.local.LocalJobRunner;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job as {@code deploy/run-local.sh} runs it, for tests: {@link LocalJobRunner} in its own JVM
 * with the heap of {@code deploy/common.sh} and this JVM's {@code --add-opens}/{@code --add-exports}
 * flags, output (stdout and stderr) to a log file.
 */
public final class LocalJobProcess {

    private LocalJobProcess() {}

    /** Starts the runner with {@code args}, its output appended to {@code log}. */
    public static Process start(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add(runLocalHeap());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LocalJobRunner.class.getName());
        command.addAll(args);
        Files.createDirectories(log.toAbsolutePath().getParent());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** The -Xmx of deploy/common.sh, the heap deploy/run-local.sh runs the job in. */
    public static String runLocalHeap() throws IOException {
        String script = Files.readString(ProjectRoot.resolve("deploy", "common.sh"));
        Matcher m = Pattern.compile("(-Xmx\\w+)").matcher(script);
        if (!m.find()) {
            throw new IllegalStateException("deploy/common.sh sets no -Xmx");
        }
        return m.group(1);
    }

    /** The last 60 lines of a log, for assertion messages. */
    public static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
