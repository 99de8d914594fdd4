package io.exactlyonce.delta.sink.core;

import io.delta.kernel.engine.Engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Deletes the files of a transaction that no checkpoint sealed (a task failure or cancel between
 * barriers): no log references them and the replay writes the rows again. Best effort: a file that
 * cannot be deleted is logged and stays an orphan for Delta {@code VACUUM}.
 */
public final class AbortedFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AbortedFiles.class);

    private AbortedFiles() {}

    /** Deletes the files of an open transaction; returns how many were deleted. */
    public static int delete(Engine engine, DeltaTransaction open) {
        if (open.isSealed()) {
            throw new IllegalStateException("A sealed transaction may still be committed: " + open);
        }
        int deleted = 0;
        for (StagedFile file : open.files()) {
            try {
                if (engine.getFileSystemClient().delete(file.path())) {
                    deleted++;
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not delete aborted file {}; it stays as an orphan", file.path(), e);
            }
        }
        LOG.info("Aborted {}: deleted {} of {} uncommitted files", open, deleted, open.files().size());
        return deleted;
    }
}
