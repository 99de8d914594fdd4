package io.exactlyonce.bench;

/**
 * The JVM options of every forked benchmark JVM, as constants for {@code @Fork(jvmArgsAppend)}: the
 * heap the job's task managers get on this machine and the module openings Flink and Hadoop need on
 * Java 17 (the same as the surefire {@code argLine}). Without them a fork fails at the first
 * reflective access instead of measuring.
 */
final class BenchmarkJvm {

    static final String HEAP = "-Xmx2g";
    static final String G1 = "-XX:+UseG1GC";
    static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    static final String OPEN_UTIL = "--add-opens=java.base/java.util=ALL-UNNAMED";
    static final String OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    static final String OPEN_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    private BenchmarkJvm() {}
}
