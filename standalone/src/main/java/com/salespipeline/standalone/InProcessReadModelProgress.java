package com.salespipeline.standalone;

import com.salespipeline.command.store.CommittedEventStore;
import com.salespipeline.query.freshness.ReadModelProgress;
import com.salespipeline.query.lifecycle.LifecycleProjection;
import java.util.Map;
import java.util.OptionalLong;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.stereotype.Component;

/**
 * The event store and the projection that follows it, in one process: the stored head is the event store's
 * highest global index, the applied position the live projection's, as it stands after its last committed batch.
 */
@Component
class InProcessReadModelProgress implements ReadModelProgress {

    private final CommittedEventStore eventStore;
    private final EventProcessingConfiguration processing;

    InProcessReadModelProgress(CommittedEventStore eventStore, EventProcessingConfiguration processing) {
        this.eventStore = eventStore;
        this.processing = processing;
    }

    @Override
    public long storedHead() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    /** The least position of the claimed segments; -1 while none is claimed (starting, or stopped for a replay's switch). */
    @Override
    public long appliedPosition() {
        Map<Integer, EventTrackerStatus> segments = processing
                .eventProcessor(LifecycleProjection.PROCESSING_GROUP, StreamingEventProcessor.class)
                .map(StreamingEventProcessor::processingStatus)
                .orElse(Map.of());
        long least = Long.MAX_VALUE;
        for (EventTrackerStatus segment : segments.values()) {
            OptionalLong position = segment.getCurrentPosition();
            least = Math.min(least, position.orElse(-1));
        }
        return segments.isEmpty() ? -1 : least;
    }

    @Override
    public void lookNow() {
        eventStore.announceNow();
    }
}
