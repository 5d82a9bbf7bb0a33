package com.salespipeline.command.store;

import java.util.List;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, told when a group commit has made events visible. Axon wakes its reader
 * when a command's unit of work ends, but the group committer commits the batch later: woken too early the
 * reader finds nothing and sleeps its whole fetch delay, which in-process read models then lag behind.
 */
public class CommittedEventStore extends EmbeddedEventStore {

    public CommittedEventStore(Builder builder) {
        super(builder);
    }

    /** Events were committed: readers waiting for new events look now, not after their fetch delay. */
    public void eventsCommitted() {
        afterCommit(List.of());
    }
}
