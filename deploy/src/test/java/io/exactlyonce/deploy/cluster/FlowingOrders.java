package io.exactlyonce.deploy.cluster;

import io.exactlyonce.deploy.kit.OrderGenerator;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Orders that keep flowing into a topic while a test acts on the cluster: a thread producing chunks
 * of {@link OrderGenerator} orders (duplicates, late duplicates, malformed records) with a pause
 * between chunks, until {@link #finish()} ends the input and returns what was produced in total —
 * the ground truth of the final table check.
 */
final class FlowingOrders {

    /** Everything produced. */
    static final class Totals {
        final Set<String> distinctIds = new HashSet<>();
        long records;
        long duplicates;
        long malformed;

        @Override
        public String toString() {
            return "records=" + records + " distinct=" + distinctIds.size() + " duplicates=" + duplicates
                    + " malformed=" + malformed;
        }
    }

    private final Totals totals = new Totals();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stop;

    FlowingOrders(String bootstrapServers, String topic, int partitions, int chunk, long pauseMillis) {
        OrderGenerator generator = new OrderGenerator(42, 0.15, 0.02, 1 << 20);
        thread = new Thread(() -> {
            try {
                for (long from = 0; !stop; from += chunk) {
                    OrderGenerator.Produced produced =
                            generator.produce(bootstrapServers, topic, partitions, from, from + chunk, "o-");
                    synchronized (totals) {
                        totals.distinctIds.addAll(produced.distinctIds);
                        totals.records += produced.records;
                        totals.duplicates += produced.duplicates;
                        totals.malformed += produced.malformed.size();
                    }
                    Thread.sleep(pauseMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "flowing-orders");
        thread.setDaemon(true);
        thread.start();
    }

    /** Ends the input without waiting (after a failed test). */
    void stop() {
        stop = true;
        thread.interrupt();
    }

    /** Distinct orders produced so far. */
    long distinctSoFar() {
        synchronized (totals) {
            return totals.distinctIds.size();
        }
    }

    /** Ends the input after the current chunk; returns the totals. */
    Totals finish() throws Exception {
        stop = true;
        thread.join(120_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("the producer did not finish within 2 minutes");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing orders failed", failure.get());
        }
        return totals;
    }
}
