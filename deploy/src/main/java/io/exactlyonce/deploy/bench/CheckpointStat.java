package io.exactlyonce.deploy.bench;

/**
 * One checkpoint as the Flink REST API reports it ({@code /jobs/<id>/checkpoints} history):
 * trigger and last-acknowledgement times, end-to-end duration, the size this checkpoint uploaded
 * ({@code checkpointed_size}: the increment with RocksDB incremental checkpoints) and the full
 * state size.
 */
record CheckpointStat(
        long id,
        String status,
        long triggerMillis,
        long latestAckMillis,
        long durationMillis,
        long checkpointedBytes,
        long stateBytes) {

    boolean completed() {
        return "COMPLETED".equals(status);
    }
}
