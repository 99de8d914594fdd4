package io.exactlyonce.job.local;

/**
 * An embedded run refuses to start because it cannot tell what to resume from: the checkpoint
 * directory holds checkpoints of this job that cannot be restored, or cannot be read at all. Starting
 * without state instead would read the topic again from {@code --starting-offsets} (rows written twice,
 * or skipped), so that must be an explicit decision ({@code --auto-resume false}). The message names
 * the checkpoints, the options and the fixes.
 */
public final class ResumeRefusedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    ResumeRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
