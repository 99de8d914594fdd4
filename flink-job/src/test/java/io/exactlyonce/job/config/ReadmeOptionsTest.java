package io.exactlyonce.job.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the README's job options table lists exactly {@link JobConfig#OPTIONS}, in order, with
 * the same defaults: a new option without a README row (or a stale row) fails the build.
 */
class ReadmeOptionsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `--([a-z0-9-]+)` \\| (.+?) \\|");

    @Test
    void readmeOptionsTableMatchesJobConfig() throws Exception {
        List<String> lines = Files.readAllLines(Paths.get("..", "README.md"));
        Map<String, String> readme = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                readme.put(m.group(1), m.group(2));
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (JobOption option : JobConfig.OPTIONS) {
            expected.put(
                    option.key(),
                    option.isRequired() ? "required"
                            : option.defaultValue() == null ? "none" : "`" + option.defaultValue() + "`");
        }
        assertThat(readme).containsExactlyEntriesOf(expected);
    }
}
