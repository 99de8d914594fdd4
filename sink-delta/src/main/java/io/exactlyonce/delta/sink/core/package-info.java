/**
 * The sink's commit protocol in plain Java (no Flink imports), shared by both Flink adapters.
 *
 * <p>Types a user of the sink touches, and whose shape is kept stable across minor releases:
 * {@link io.exactlyonce.delta.sink.core.CommitListener} and what it is given ({@link
 * io.exactlyonce.delta.sink.core.DeltaTransaction}, {@link io.exactlyonce.delta.sink.core.CommitResult}),
 * {@link io.exactlyonce.delta.sink.core.CommitRetryPolicy}, the progress types ({@link
 * io.exactlyonce.delta.sink.core.CommitterInput}, {@link io.exactlyonce.delta.sink.core.SourceProgress},
 * {@link io.exactlyonce.delta.sink.core.TableProgress}) and the exceptions the sink throws. Everything
 * else here (committer, codecs, Parquet write path, recovery helpers) is internal and may change in
 * any release.
 */
package io.exactlyonce.delta.sink.core;
