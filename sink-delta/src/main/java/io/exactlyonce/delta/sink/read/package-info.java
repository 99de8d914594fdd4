/**
 * Internal: reading a Delta table's rows through Delta Kernel, for the job's start-up checks and the
 * state tools. Every class is {@code @Internal}.
 */
package io.exactlyonce.delta.sink.read;
