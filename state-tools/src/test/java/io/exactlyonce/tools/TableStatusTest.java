package io.exactlyonce.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code table-status} on a real table written by the sink's writer and committer; a missing table exits 2. */
class TableStatusTest {

    @TempDir Path tmp;

    @Test
    void countsVersionFilesBytesAndRowsOfARealTable() throws Exception {
        String table = tmp.resolve("orders").toUri().toString();
        OrdersTableGenerator.write(table, "s", 0, 1_500);
        OrdersTableGenerator.write(table, "t", 0, 500);

        Jobs.Result result = Jobs.tool("table-status", table, "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode status = new ObjectMapper().readTree(result.out());
        assertThat(status.get("version").asLong()).as("create + two commits").isEqualTo(2);
        assertThat(status.get("rows").asLong()).as(result.out()).isEqualTo(2_000);
        assertThat(status.get("filesWithoutRowCount").asLong()).isZero();
        assertThat(status.get("files").asLong()).isPositive();
        assertThat(status.get("bytes").asLong()).isGreaterThan(status.get("files").asLong());
        assertThat(status.get("partitionColumns").get(0).asText()).isEqualTo("event_date");

        assertThat(Jobs.tool("table-status", table).out()).contains("version 2").contains("2000 rows");
    }

    @Test
    void aMissingTableExitsTwo() {
        Jobs.Result result = Jobs.tool("table-status", tmp.resolve("none").toString());
        assertThat(result.exitCode()).isEqualTo(StateTools.BAD_INPUT);
        assertThat(result.err()).contains("is not a Delta table");
    }
}
