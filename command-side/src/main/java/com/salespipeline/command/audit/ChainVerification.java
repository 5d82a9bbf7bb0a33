package com.salespipeline.command.audit;

import java.util.UUID;

/**
 * The outcome of recomputing a contact's hash chain.
 *
 * @param events              how many events are stored for the contact
 * @param firstBrokenSequence the first sequence whose event was changed, is missing or is out of place
 * @param problem             what was found there, for people
 */
public record ChainVerification(UUID contactId, int events, boolean intact, Long firstBrokenSequence,
                                String problem) {
}
