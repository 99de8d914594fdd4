package io.exactlyonce.job.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests that the README's option table lists exactly {@link JobConfig#OPTIONS}, row by row. */
class ReadmeOptionsTest {

    @Test
    void readmeOptionTableMatchesJobConfigOptions() throws Exception {
        Path readme = Paths.get("..", "README.md");
        List<String> tableRows =
                Files.readAllLines(readme, StandardCharsets.UTF_8).stream()
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
