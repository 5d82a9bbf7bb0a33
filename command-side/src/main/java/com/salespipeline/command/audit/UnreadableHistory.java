package com.salespipeline.command.audit;

import com.salespipeline.command.contact.ContactCommand;
import com.salespipeline.command.contact.ContactRefused;
import java.util.Optional;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command whose contact could not be loaded because a stored event was altered so that it no longer reads (its
 * metadata removed, or the JSON of a payload it is loaded from cut) is refused as {@link HistoryBroken} at the sequence
 * that verification names, rather than failing as a server error: the same tampering that verification reports. A
 * failure on a history that verifies intact (the database unreachable, an event type this build cannot read) is left
 * as it was.
 */
public final class UnreadableHistory implements MessageHandlerInterceptor<CommandMessage<?>> {

    private static final Logger log = LoggerFactory.getLogger(UnreadableHistory.class);

    private final HistoryReader history;

    public UnreadableHistory(HistoryReader history) {
        this.history = history;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        try {
            return chain.proceed();
        } catch (RuntimeException failure) {
            if (!(unitOfWork.getMessage().getPayload() instanceof ContactCommand command) || answered(failure)) {
                throw failure;
            }
            Optional<ChainVerification> verified;
            try {
                verified = history.verify(command.contactId());
            } catch (RuntimeException unverifiable) {
                failure.addSuppressed(unverifiable);
                throw failure;
            }
            if (verified.isEmpty() || verified.get().intact()) {
                throw failure;
            }
            ChainVerification broken = verified.get();
            log.warn("contact {} could not be loaded; its history is broken at sequence {} ({})",
                    command.contactId(), broken.firstBrokenSequence(), broken.problem(), failure);
            throw new HistoryBroken(command.contactId().toString(),
                    broken.firstBrokenSequence() == null ? 0 : broken.firstBrokenSequence(),
                    "its events cannot be read: " + broken.problem());
        }
    }

    /** Failures that are answers about a contact that was read: refusals, races, unknown contacts. */
    private static boolean answered(RuntimeException failure) {
        return failure instanceof ContactRefused || failure instanceof ConcurrencyException
                || failure instanceof AggregateNotFoundException || failure instanceof HistoryBroken;
    }
}
