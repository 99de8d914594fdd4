package io.exactlyonce.job.kafka;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * Kafka no longer holds records the job has not read yet: the offset the job must continue from is
 * below the partition's log start (retention or {@code deleteRecords} removed them while the job was
 * stopped or lagging) or past its end (the topic was deleted and recreated, or its log truncated).
 *
 * <p>Marked non-recoverable: Flink's restart strategy does not retry it and the job ends FAILED at
 * once with this message, because a restart from the same checkpoint meets the same gap — retrying
 * cannot bring the records back, and a silent jump to another offset would lose them unnoticed. The
 * message names the offsets per partition and the option that accepts the loss.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class KafkaRecordsLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaRecordsLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
