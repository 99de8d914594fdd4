package io.exactlyonce.delta.sink;

/**
 * Test-only settings of {@link DeltaSink.Builder}, shipped in the test-jar (never in the library's
 * API): they break the sink on purpose so that tests can prove their checks catch a broken sink.
 */
public final class SinkTestHooks {

    private SinkTestHooks() {}

    /**
     * A restore drops the transactions a completed checkpoint sealed but did not commit yet: their
     * rows are lost. Never for real data.
     */
    public static void breakRecovery(DeltaSink.Builder builder) {
        builder.recoverOnRestore(false);
    }
}
