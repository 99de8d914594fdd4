package io.exactlyonce.tools.faults;

import io.exactlyonce.delta.sink.core.CommitListener;
import io.exactlyonce.delta.sink.core.CommitResult;
import io.exactlyonce.delta.sink.core.DeltaTransaction;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A commit listener that fails the committer at armed points: before a commit (after pre-commit),
 * after a commit landed, or during the recovery commit after a restore. Counters are static, shared
 * with the test in the same JVM (MiniCluster), and count down as faults fire.
 */
final class InjectedCommitFaults implements CommitListener {

    private static final long serialVersionUID = 1L;

    static final AtomicInteger beforeCommit = new AtomicInteger();
    static final AtomicInteger afterCommit = new AtomicInteger();
    static final AtomicInteger duringRecovery = new AtomicInteger();

    static void disarm() {
        beforeCommit.set(0);
        afterCommit.set(0);
        duringRecovery.set(0);
    }

    static boolean allFired() {
        return beforeCommit.get() == 0 && afterCommit.get() == 0 && duringRecovery.get() == 0;
    }

    @Override
    public void beforeCommit(DeltaTransaction transaction, boolean recovery) {
        if (transaction.files().isEmpty()) {
            return;
        }
        if (recovery && take(duringRecovery)) {
            throw new IllegalStateException("injected failure during the recovery commit of " + transaction);
        }
        if (!recovery && take(beforeCommit)) {
            throw new IllegalStateException("injected failure before committing " + transaction);
        }
    }

    @Override
    public void afterCommit(DeltaTransaction transaction, CommitResult result, boolean recovery) {
        if (!recovery && result.status() == CommitResult.Status.COMMITTED && take(afterCommit)) {
            throw new IllegalStateException("injected failure after committing " + transaction);
        }
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }
}
