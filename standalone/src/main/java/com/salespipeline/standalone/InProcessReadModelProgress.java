package com.salespipeline.standalone;

import com.salespipeline.command.store.CommittedEventStore;
import com.salespipeline.query.freshness.ReadModelProgress;
import com.salespipeline.query.lifecycle.LifecycleProjection;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.stereotype.Component;

/**
 * The event store and the projection that follows it, in one process: the stored head is the event store's
 * highest global index, the applied position the live projection's, as it stands after its last committed batch.
 * <p>
 * Comparing positions assumes that events become visible in the order of their indexes, which holds while this
 * process's group committer is the only writer: it commits one batch at a time. Two apps appending to one
 * database could commit index 9 after index 10, and a read could then pass before 9 is applied.
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

    /**
     * The least position of the segments, when this process has claimed all of them; -1 otherwise (starting, or
     * stopped for a replay's switch), since an unclaimed segment's events may be anywhere behind.
     */
    @Override
    public long appliedPosition() {
        double covered = 0;
        long least = Long.MAX_VALUE;
        for (EventTrackerStatus segment : projection().map(StreamingEventProcessor::processingStatus)
                .orElse(Map.of()).values()) {
            // a segment of mask m holds 1/(m+1) of the contacts; the fractions are powers of two, so the sum is exact
            covered += 1.0 / (segment.getSegment().getMask() + 1);
            least = Math.min(least, segment.getCurrentPosition().orElse(-1));
        }
        return covered < 1.0 ? -1 : least;
    }

    @Override
    public boolean following() {
        return projection().filter(processor -> processor.isRunning() && !processor.isError())
                .map(processor -> processor.processingStatus().values().stream()
                        .noneMatch(EventTrackerStatus::isErrorState))
                .orElse(false);
    }

    @Override
    public void lookNow() {
        eventStore.announceNow();
    }

    private Optional<StreamingEventProcessor> projection() {
        return processing.eventProcessor(LifecycleProjection.PROCESSING_GROUP, StreamingEventProcessor.class);
    }
}
