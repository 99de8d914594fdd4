package io.exactlyonce.tools;

import io.exactlyonce.job.config.InvalidOptionException;
import io.exactlyonce.tools.bootstrap.BootstrapDedupCommand;
import io.exactlyonce.tools.inspect.InspectCommand;
import io.exactlyonce.tools.reconcile.ReconcileCommand;
import io.exactlyonce.tools.restore.CheckRestoreCommand;
import io.exactlyonce.tools.table.OrphansCommand;
import io.exactlyonce.tools.table.TableStatusCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The state tools' command line: {@code inspect}, {@code bootstrap-dedup}, {@code check-restore},
 * {@code table-status}, {@code orphans}, {@code reconcile} (see each command's class). Exit codes: 0 done (or the check passed), 1 the check found a
 * problem, {@value #BAD_INPUT} bad input — a path that is not a savepoint, another job's savepoint,
 * a missing table or column, an unknown option — reported as one message on stderr, with nothing
 * written.
 */
@Command(
        name = "state-tools",
        mixinStandardHelpOptions = true,
        description = "See inside the orders job's savepoints, seed its dedup state, check a restore, reconcile a topic with the tables.",
        subcommands = {InspectCommand.class, BootstrapDedupCommand.class, CheckRestoreCommand.class,
            TableStatusCommand.class, OrphansCommand.class, ReconcileCommand.class})
public final class StateTools implements Runnable {

    /** Exit code of a check that found a problem. */
    public static final int CHECK_FAILED = 1;

    /** Exit code of bad input. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line and returns its exit code; output and errors go to the given writers. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new StateTools());
        // check-restore passes the job's own --options through
        cli.getSubcommands().get("check-restore").setUnmatchedOptionsArePositionalParams(true);
        cli.getSubcommands().get("reconcile").setUnmatchedOptionsArePositionalParams(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ToolInputException || e instanceof InvalidOptionException) {
                err.println("error: " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            err.println("error: " + e.getMessage());
            e.getCommandLine().usage(err);
            return BAD_INPUT;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
