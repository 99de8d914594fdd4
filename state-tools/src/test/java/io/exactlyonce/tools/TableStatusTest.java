package io.exactlyonce.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code table-status} on a real table written by the sink's writer and committer: counts, the
 * protocol, and the last commits with the appId and checkpoint id each set; a missing table exits 2.
 */
class TableStatusTest {

    @TempDir Path tmp;

    @Test
    void countsVersionFilesBytesAndRowsOfARealTable() throws Exception {
        String table = tmp.resolve("orders").toUri().toString();
        OrdersTableGenerator.write(table, "s", 0, 1_500, "app-one", 41);
        OrdersTableGenerator.write(table, "t", 0, 500, "app-two", 7);

        Jobs.Result result = Jobs.tool("table-status", table, "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode status = new ObjectMapper().readTree(result.out());
        assertThat(status.get("version").asLong()).as("create + two commits").isEqualTo(2);
        assertThat(status.get("rows").asLong()).as(result.out()).isEqualTo(2_000);
        assertThat(status.get("filesWithoutRowCount").asLong()).isZero();
        assertThat(status.get("files").asLong()).isPositive();
        assertThat(status.get("bytes").asLong()).isGreaterThan(status.get("files").asLong());
        assertThat(status.get("partitionColumns").get(0).asText()).isEqualTo("event_date");

        JsonNode commits = status.get("lastCommits");
        assertThat(commits).as("create + two commits, newest first").hasSize(3);
        assertThat(commits.get(0).get("version").asLong()).isEqualTo(2);
        assertThat(commits.get(0).get("txns").get(0).get("appId").asText()).isEqualTo("app-two");
        assertThat(commits.get(0).get("txns").get(0).get("version").asLong()).as("the checkpoint id").isEqualTo(7);
        assertThat(commits.get(0).get("addedRows").asLong()).isEqualTo(500);
        assertThat(commits.get(1).get("txns").get(0).get("appId").asText()).isEqualTo("app-one");
        assertThat(commits.get(1).get("txns").get(0).get("version").asLong()).isEqualTo(41);
        assertThat(commits.get(1).get("addedRows").asLong()).isEqualTo(1_500);
        assertThat(commits.get(1).get("timestamp").asLong()).isPositive();
        assertThat(commits.get(2).get("addedFiles").asLong()).as("the table's creation").isZero();
        assertThat(status.get("protocol").get("minReaderVersion").asInt()).isPositive();
        assertThat(status.get("protocol").get("minWriterVersion").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(Jobs.tool("table-status", table, "--json", "--commits", "1").out())
                .contains("app-two").doesNotContain("app-one");

        assertThat(Jobs.tool("table-status", table).out()).contains("version 2").contains("2000 rows")
                .contains("txn app-two @ checkpoint 7").contains("protocol: reader ");
    }

    @Test
    void aMissingTableExitsTwo() {
        Jobs.Result result = Jobs.tool("table-status", tmp.resolve("none").toString());
        assertThat(result.exitCode()).isEqualTo(StateTools.BAD_INPUT);
        assertThat(result.err()).contains("is not a Delta table");
    }
}
