package io.exactlyonce.delta.sink.core;

import io.delta.kernel.data.Row;

/**
 * Reads the fields of the {@code add} action inside a Kernel scan-file row by name, through the
 * public {@link Row} API only. Shared by the committer (which files are live) and the table scanner.
 */
public final class ScanFileRows {

    private ScanFileRows() {}

    /** The {@code add} action of a scan-file row. */
    public static Row add(Row scanFile) {
        return scanFile.getStruct(scanFile.getSchema().indexOf("add"));
    }

    /** The data file's path as written in the log (relative to the table root, or absolute). */
    public static String path(Row add) {
        return add.getString(add.getSchema().indexOf("path"));
    }
}
