package io.exactlyonce.job.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.exactlyonce.job.ProjectRoot;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the option table under the README's "### Options" heading lists exactly {@link
 * JobConfig#OPTIONS}, row by row ("|" in a description escaped for Markdown).
 */
class ReadmeOptionsTest {

    @Test
    void readmeOptionTableMatchesJobConfigOptions() throws Exception {
        Path readme = ProjectRoot.resolve("README.md");
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        int heading = lines.indexOf("### Options");
        assertThat(heading).as("the job's options section '### Options' in %s", readme).isNotNegative();
        List<String> tableRows =
                lines.subList(heading + 1, lines.size()).stream()
                        .dropWhile(line -> !line.startsWith("|"))
                        .takeWhile(line -> line.startsWith("|"))
                        .filter(line -> line.startsWith("| `--"))
                        .collect(Collectors.toList());
        List<String> expected = JobConfig.OPTIONS.stream().map(ReadmeOptionsTest::row).collect(Collectors.toList());

        assertThat(tableRows).as("option rows of %s (expected rows are generated from JobConfig.OPTIONS)", readme)
                .containsExactlyElementsOf(expected);
    }

    private static String row(JobOption option) {
        String defaultValue =
                option.isRequired() ? "required" : option.defaultValue() == null ? "none" : "`" + option.defaultValue() + "`";
        return "| `--" + option.key() + "` | " + defaultValue + " | " + option.description().replace("|", "\\|") + " |";
    }
}
