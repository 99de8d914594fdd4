package io.exactlyonce.job.config;

/** A missing or invalid job option; the message names the option and the fix. */
public class InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidOptionException(String option, String problem) {
        super("Invalid option '--" + option + "': " + problem);
    }
}
