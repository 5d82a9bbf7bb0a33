package com.salespipeline.command.pipeline;

/** The command could not be committed (the store failed, the queue is full, or the service is stopping). */
public class CommandsUnavailable extends RuntimeException {

    public CommandsUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
