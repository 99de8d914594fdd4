package io.exactlyonce.job;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job module's main code — what the shaded job jar carries of this project besides the sink —
 * is only what runs on a cluster: the job, its configuration, the Kafka source, parsing, dedup,
 * progress, statistics and the embedded runner of {@code deploy/run-local.sh}. The demo and its
 * Kafka broker belong to {@code deploy/}, the reconciliation to {@code state-tools/}, failure
 * injection to the tests; this fails when a class of theirs comes back into the job's main code.
 */
class JobJarContentsTest {

    /** The packages of the job's main code. */
    private static final Set<String> JOB_PACKAGES = Set.of(
            "io.exactlyonce.job",
            "io.exactlyonce.job.config",
            "io.exactlyonce.job.dedup",
            "io.exactlyonce.job.kafka",
            "io.exactlyonce.job.local",
            "io.exactlyonce.job.parse",
            "io.exactlyonce.job.progress",
            "io.exactlyonce.job.stats");

    /** Names of what must live elsewhere: demo, broker, generator, reconciliation, failure injection. */
    private static final Pattern NOT_THE_JOB =
            Pattern.compile(".*(Demo|KafkaBroker|OrderGenerator|Reconcil|FailOnce|FailureInject).*");

    @Test
    void theJobsMainCodeHoldsOnlyWhatRunsOnACluster() throws Exception {
        List<String> classes = mainClasses();
        assertThat(classes).as("compiled main classes of the job").contains(OrdersJob.class.getName());

        assertThat(classes)
                .as("classes outside the job's packages %s", JOB_PACKAGES)
                .allSatisfy(name -> assertThat(JOB_PACKAGES).contains(packageOf(name)));
        assertThat(classes)
                .as("demo, broker, reconciliation or failure-injection classes in the job")
                .noneMatch(name -> NOT_THE_JOB.matcher(name).matches());
    }

    /** Every class (nested ones included) compiled from the job module's main sources. */
    private static List<String> mainClasses() throws URISyntaxException, java.io.IOException {
        Path root = Paths.get(OrdersJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(root).as("the job's classes are a directory of this build").isDirectory();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> root.relativize(f).toString().replace(root.getFileSystem().getSeparator(), "."))
                    .map(f -> f.substring(0, f.length() - ".class".length()))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }
}
