/**
 * Internal: the conversion between Flink's {@code RowData} and Delta Kernel's columnar batches and
 * schemas, used by the sink's writers and by the project's readers. Every class is {@code
 * @Internal}; build a sink with {@link io.exactlyonce.delta.sink.DeltaSink}.
 */
package io.exactlyonce.delta.sink.rowdata;
