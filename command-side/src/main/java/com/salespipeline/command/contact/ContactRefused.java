package com.salespipeline.command.contact;

/**
 * A command that the domain refused. Each subtype names one rule; the HTTP layer maps them to
 * problem details in one place. Nothing is stored for a refused command.
 */
public abstract class ContactRefused extends RuntimeException {

    protected ContactRefused(String message) {
        super(message, null, false, false);
    }

    /** A stable, machine-readable name of the rule that refused the command. */
    public abstract String code();
}
