package io.exactlyonce.job.config;

/**
 * One command-line / properties-file option of the job: its key, default (null if required or
 * optional without default) and what it does. The README's option table lists the same.
 */
public final class JobOption {

    final String key;
    final String defaultValue;
    final String description;
    final boolean required;

    private JobOption(String key, String defaultValue, String description, boolean required) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.required = required;
    }

    static JobOption required(String key, String description) {
        return new JobOption(key, null, description, true);
    }

    static JobOption optional(String key, String defaultValue, String description) {
        return new JobOption(key, defaultValue, description, false);
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean isRequired() {
        return required;
    }
}
