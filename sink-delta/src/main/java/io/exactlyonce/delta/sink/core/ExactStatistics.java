package io.exactlyonce.delta.sink.core;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps only the column statistics that can be written into a Delta {@code add} action exactly, and
 * drops the rest.
 *
 * <p>Readers skip a file by its min/max, so a bound that is not exact can hide rows from a filtered
 * query; statistics are an optimisation and a file without them is merely never skipped. A column's
 * min and max are dropped (its null count is kept) when:
 *
 * <ul>
 *   <li>the column is binary: Delta stats JSON carries a binary value as a UTF-8 string, which
 *       changes any byte sequence that is not valid UTF-8 (Delta's own writers collect no binary
 *       statistics either);
 *   <li>a string bound is longer than {@value #MAX_STRING_STAT_CHARS} characters: it would be
 *       copied into the log for every file; Parquet itself already leaves out bounds over 4 KiB;
 *   <li>a float or double bound is NaN (no order), or a date or timestamp bound lies outside the
 *       range Delta defines (years 0001 to 9999), where the JSON form is not readable by others;
 *   <li>the bound's type is not the column's type, or the column is not in the schema.
 * </ul>
 *
 * <p>Each (column, reason) is logged once per JVM at INFO. Nothing here throws for odd values: a
 * statistic never fails a write or a commit.
 */
public final class ExactStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(ExactStatistics.class);

    /** Longest string min/max written to the log, in UTF-16 characters. */
    public static final int MAX_STRING_STAT_CHARS = 256;

    private static final long MIN_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long MAX_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
    private static final long MIN_MICROS = MIN_DAY * 86_400_000_000L;
    private static final long MAX_MICROS = (MAX_DAY + 1) * 86_400_000_000L - 1;

    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private ExactStatistics() {}

    /** The statistics with every inexact min/max removed; record and null counts unchanged. */
    public static DataFileStatistics keepExact(DataFileStatistics stats, StructType dataSchema) {
        Map<Column, Literal> min = new HashMap<>();
        Map<Column, Literal> max = new HashMap<>();
        for (Map.Entry<Column, Literal> e : stats.getMinValues().entrySet()) {
            Column column = e.getKey();
            Literal maxValue = stats.getMaxValues().get(column);
            String reason = inexactReason(dataSchema, column, e.getValue());
            if (reason == null && maxValue != null) {
                reason = inexactReason(dataSchema, column, maxValue);
            }
            if (reason != null) {
                logOnce(column, reason);
                continue;
            }
            min.put(column, e.getValue());
            if (maxValue != null) {
                max.put(column, maxValue);
            }
        }
        for (Map.Entry<Column, Literal> e : stats.getMaxValues().entrySet()) {
            if (!stats.getMinValues().containsKey(e.getKey())) {
                String reason = inexactReason(dataSchema, e.getKey(), e.getValue());
                if (reason == null) {
                    max.put(e.getKey(), e.getValue());
                } else {
                    logOnce(e.getKey(), reason);
                }
            }
        }
        return new DataFileStatistics(
                stats.getNumRecords(), min, max, new HashMap<>(stats.getNullCount()), Optional.empty());
    }

    /** Statistics with the record count only, for a file whose min/max cannot be written at all. */
    public static DataFileStatistics recordCountOnly(DataFileStatistics stats) {
        return new DataFileStatistics(
                stats.getNumRecords(), new HashMap<>(), new HashMap<>(), new HashMap<>(), Optional.empty());
    }

    /** Why a bound cannot be written exactly, or null if it can. */
    static String inexactReason(StructType schema, Column column, Literal bound) {
        DataType type = typeOf(schema, column);
        if (type == null) {
            return "the column is not in the table schema";
        }
        if (bound == null) {
            return "a bound is missing";
        }
        Object value = bound.getValue();
        if (value == null) {
            return null; // an all-null column: Kernel writes null bounds, which readers expect
        }
        if (bound.getDataType() == null || !type.equivalent(bound.getDataType())) {
            return "its statistic has type " + bound.getDataType() + ", not " + type;
        }
        if (type instanceof BinaryType) {
            return "binary bounds do not survive Delta's JSON statistics";
        }
        if (type instanceof StringType && ((String) value).length() > MAX_STRING_STAT_CHARS) {
            return "a string bound is longer than " + MAX_STRING_STAT_CHARS + " characters";
        }
        if (type instanceof FloatType && Float.isNaN((Float) value)
                || type instanceof DoubleType && Double.isNaN((Double) value)) {
            return "a bound is NaN";
        }
        if (type instanceof DateType) {
            int day = (Integer) value;
            if (day < MIN_DAY || day > MAX_DAY) {
                return "a date bound is outside the years 0001-9999";
            }
        }
        if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            long micros = (Long) value;
            if (micros < MIN_MICROS || micros > MAX_MICROS) {
                return "a timestamp bound is outside the years 0001-9999";
            }
        }
        return null;
    }

    private static DataType typeOf(StructType schema, Column column) {
        String[] names = column.getNames();
        DataType type = schema;
        for (String name : names) {
            if (!(type instanceof StructType)) {
                return null;
            }
            StructType struct = (StructType) type;
            int index = struct.indexOf(name);
            if (index < 0) {
                return null;
            }
            StructField field = struct.at(index);
            type = field.getDataType();
        }
        return type;
    }

    private static void logOnce(Column column, String reason) {
        if (LOGGED.add(column + reason)) {
            LOG.info(
                    "Column {}: writing data files without its min/max statistics ({}); readers do not"
                            + " skip files by it. Logged once.",
                    column,
                    reason);
        }
    }
}
