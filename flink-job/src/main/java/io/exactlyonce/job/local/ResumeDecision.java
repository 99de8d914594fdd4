package io.exactlyonce.job.local;

import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/**
 * Decides what an embedded run ({@link LocalJobRunner}) restores, so that running the same command
 * again after a crash or {@code kill -9} continues where the job was, like Spark's {@code
 * checkpointLocation}:
 * <ol>
 *   <li>{@code --restore-from <path>}: that path wins (nothing is searched);</li>
 *   <li>{@code --auto-resume false}: no state, an explicit fresh start (WARN when this job's retained
 *       checkpoints exist, since they are then ignored);</li>
 *   <li>otherwise the latest complete retained checkpoint of this job in {@code --checkpoint-dir}
 *       ({@link RetainedCheckpoints}, judged against the graph these options build, {@link JobShape});</li>
 *   <li>none of this job there (first run, or killed before its first checkpoint completed): no state,
 *       logged at INFO;</li>
 *   <li>only corrupt or incompatible ones, or a directory that cannot be listed: refuses to start
 *       ({@link ResumeRefusedException}) rather than start without state silently.</li>
 * </ol>
 * A checkpoint found this way is restored in Flink's CLAIM mode: the new run owns it and deletes it once
 * its own next checkpoint subsumes it, so a later run of the same command never picks an older one.
 */
final class ResumeDecision {

    private static final Logger LOG = LoggerFactory.getLogger(ResumeDecision.class);

    private ResumeDecision() {}

    /** The retained checkpoint to restore in CLAIM mode, or empty (explicit path, or start without state). */
    static Optional<String> retainedCheckpointToRestore(JobConfig config) {
        if (config.restoreFrom().isPresent()) {
            LOG.info("Restoring '--restore-from' {} (an explicit path wins; {} is not searched)",
                    config.restoreFrom().get(), config.checkpointDir());
            return Optional.empty();
        }
        RetainedCheckpoints.Selection selection;
        try {
            selection = new RetainedCheckpoints(config.checkpointDir(), () -> shapeOf(config), JobIdentity.of(config),
                            ResumeDecision.class.getClassLoader())
                    .select();
        } catch (IOException e) {
            if (!config.autoResume()) {
                LOG.warn("Starting without state ('--auto-resume false'); could not look for retained checkpoints"
                        + " in {}: {}", config.checkpointDir(), e.toString());
                return Optional.empty();
            }
            throw refuse("cannot look for retained checkpoints in '--checkpoint-dir' " + config.checkpointDir()
                    + " (" + e + ")", e);
        }
        if (!config.autoResume()) {
            selection.chosen().ifPresent(c -> LOG.warn("Starting without state ('--auto-resume false'): the retained"
                    + " checkpoint {} of this job is NOT restored; the topic is read from '--starting-offsets' {}",
                    c, config.startingOffsets()));
            return Optional.empty();
        }
        if (selection.chosen().isPresent()) {
            RetainedCheckpoints.Candidate chosen = selection.chosen().get();
            LOG.info("Restoring {}: the latest complete retained checkpoint of this job (--uid-prefix '{}') in {}"
                    + " ('--auto-resume true'); {}{}", chosen, config.uidPrefix(), config.checkpointDir(),
                    selection.reason(), selection.unusable().isEmpty() ? ""
                            : "; " + selection.unusable().size() + " newer one(s) could not be restored (WARN above)");
            return Optional.of(chosen.pointer());
        }
        if (!selection.unusable().isEmpty()) {
            throw refuse("'--checkpoint-dir' " + config.checkpointDir() + " holds checkpoints that may be this job's"
                    + " but none can be restored: " + String.join("; ", selection.unusable()), null);
        }
        LOG.info("Starting without state: no complete retained checkpoint of this job (--uid-prefix '{}') in {}{}",
                config.uidPrefix(), config.checkpointDir(),
                selection.otherJobs.isEmpty() ? "" : " (" + selection.otherJobs.size() + " of other jobs passed over)");
        return Optional.empty();
    }

    private static ResumeRefusedException refuse(String problem, Throwable cause) {
        String message = "Refusing to start: " + problem + ". Starting without state would read the topic again"
                + " from '--starting-offsets' and write rows twice or skip some. Restore a checkpoint or savepoint"
                + " by hand with '--restore-from <path>', move the unusable checkpoints away, or start without state"
                + " explicitly with '--auto-resume false'.";
        LOG.error("{}", message);
        return new ResumeRefusedException(message, cause);
    }

    /** The graph these options build, on an environment used for nothing else. */
    private static JobShape shapeOf(JobConfig config) {
        StreamExecutionEnvironment env = LocalJobRunner.environment(config);
        OrdersPipeline.build(env, config);
        return JobShape.of(env.getStreamGraph(), config.uidPrefix());
    }
}
