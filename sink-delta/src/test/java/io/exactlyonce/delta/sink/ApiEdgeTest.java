package io.exactlyonce.delta.sink;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink's API edge, checked on the compiled classes of the Flink line under test: every public
 * top-level class of the Flink-facing packages is marked either {@code @PublicEvolving} or {@code
 * @Internal}
 * (Flink's annotations are not visible to reflection, so the class files are read), and the public
 * ones are exactly the types a user builds a sink with. The plain-Java {@code core} package carries
 * no Flink annotations by design; its package documentation lists its user-facing types.
 */
class ApiEdgeTest {

    private static final String PUBLIC_EVOLVING = "Lorg/apache/flink/annotation/PublicEvolving;";
    private static final String INTERNAL = "Lorg/apache/flink/annotation/Internal;";
    private static final List<String> PACKAGES = List.of(
            "io/exactlyonce/delta/sink", "io/exactlyonce/delta/sink/flink",
            "io/exactlyonce/delta/sink/rowdata", "io/exactlyonce/delta/sink/read");

    @Test
    void everyPublicTopLevelClassIsEitherPublicEvolvingOrInternal() throws Exception {
        List<String> unmarked = new ArrayList<>();
        List<String> both = new ArrayList<>();
        for (Path classFile : publicClassFiles()) {
            if (className(classFile).contains("$")) {
                continue; // a nested class is on its enclosing class's side of the edge
            }
            String bytes = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            boolean publicEvolving = bytes.contains(PUBLIC_EVOLVING);
            boolean internal = bytes.contains(INTERNAL);
            if (!publicEvolving && !internal) {
                unmarked.add(className(classFile));
            }
            if (publicEvolving && internal) {
                both.add(className(classFile));
            }
        }
        assertThat(publicClassFiles()).as("public classes found").hasSizeGreaterThan(10);
        assertThat(unmarked).as("public classes with neither @PublicEvolving nor @Internal").isEmpty();
        assertThat(both).as("public classes marked both ways").isEmpty();
    }

    @Test
    void thePublicApiIsTheBuilderItsOptionsAndTheProgressType() throws Exception {
        Set<String> publicEvolving = new TreeSet<>();
        for (Path classFile : publicClassFiles()) {
            String bytes = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            if (bytes.contains(PUBLIC_EVOLVING)) {
                publicEvolving.add(className(classFile));
            }
        }
        assertThat(publicEvolving).containsExactlyInAnyOrder(
                "io.exactlyonce.delta.sink.DeltaSink",
                "io.exactlyonce.delta.sink.DeltaSink$Api",
                "io.exactlyonce.delta.sink.DeltaSink$Builder",
                "io.exactlyonce.delta.sink.DeltaSinkOptions",
                "io.exactlyonce.delta.sink.flink.CommitterInputTypeInfo");
    }

    /** The class files of public classes (top-level and nested) in {@link #PACKAGES}. */
    private static List<Path> publicClassFiles() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(DeltaSink.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> result = new ArrayList<>();
        for (String pkg : PACKAGES) {
            List<Path> files;
            try (Stream<Path> list = Files.list(root.resolve(pkg))) {
                files = list.filter(p -> p.toString().endsWith(".class"))
                        .filter(p -> !p.getFileName().toString().equals("package-info.class"))
                        .sorted()
                        .collect(Collectors.toList());
            }
            for (Path file : files) {
                Class<?> type = Class.forName(className(file), false, ApiEdgeTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers()) && !type.isAnonymousClass() && !type.isSynthetic()) {
                    result.add(file);
                }
            }
        }
        return result;
    }

    private static String className(Path classFile) throws URISyntaxException {
        Path root = Path.of(DeltaSink.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String relative = root.relativize(classFile).toString();
        return relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
    }
}
