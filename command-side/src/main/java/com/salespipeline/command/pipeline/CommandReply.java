package com.salespipeline.command.pipeline;

import com.salespipeline.command.contact.CommandOutcome;

/**
 * The answer to a command, given only once its events are committed.
 *
 * @param status   the HTTP status of the first answer
 * @param replayed whether this repeats the stored answer to an earlier request with the same key
 */
public record CommandReply(int status, CommandOutcome outcome, boolean replayed) {
}
