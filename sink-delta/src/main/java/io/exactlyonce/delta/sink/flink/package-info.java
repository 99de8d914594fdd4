/**
 * The sink's thin Flink adapters: internal, every class {@code @Internal}. Build a sink with {@link
 * io.exactlyonce.delta.sink.DeltaSink}; {@link io.exactlyonce.delta.sink.flink.CommitterInputTypeInfo}
 * is the one type a job names (for its progress stream).
 */
package io.exactlyonce.delta.sink.flink;
