package com.salespipeline.standalone;

import com.salespipeline.command.store.CommittedEventStore;
import com.salespipeline.query.freshness.ReadModelProgress;
import com.salespipeline.query.lifecycle.LifecycleProjection;
import java.util.Collection;
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
 * database could commit index 9 after index 10, and a read could then pass before 9 is applied; and the head is
 * asked again only after this process has committed.
 */
@Component
class InProcessReadModelProgress implements ReadModelProgress {

    private final CommittedEventStore eventStore;
    private final EventProcessingConfiguration processing;
    private volatile HeadAfter head;

    InProcessReadModelProgress(CommittedEventStore eventStore, EventProcessingConfiguration processing) {
        this.eventStore = eventStore;
        this.processing = processing;
    }

    /** Asks the store only after a commit since it last asked: most reads follow no new commit. */
    @Override
    public long storedHead() {
        long commits = eventStore.commitCount();
        HeadAfter known = head;
        if (known != null && known.commits() == commits) {
            return known.position();
        }
        // counted before the query: a commit meanwhile leaves the count behind, and the next read asks again
        TrackingToken token = eventStore.createHeadToken();
        long position = token == null ? -1 : token.position().orElse(-1);
        head = new HeadAfter(commits, position);
        return position;
    }

    /**
     * The least position of the segments, when this process has claimed all of them; -1 otherwise (starting, or
     * stopped for a replay's switch), since an unclaimed segment's events may be anywhere behind.
     */
    @Override
    public long appliedPosition() {
        Collection<EventTrackerStatus> segments = projection().map(StreamingEventProcessor::processingStatus)
                .orElse(Map.of()).values();
        if (!claimsEverySegment(segments)) {
            return -1;
        }
        long least = Long.MAX_VALUE;
        for (EventTrackerStatus segment : segments) {
            least = Math.min(least, segment.getCurrentPosition().orElse(-1));
        }
        return least;
    }

    /** Whether this process has claimed every segment of the projection, however they are doing. */
    boolean claimsEverySegment() {
        return projection().map(processor -> claimsEverySegment(processor.processingStatus().values()))
                .orElse(false);
    }

    private static boolean claimsEverySegment(Collection<EventTrackerStatus> segments) {
        // a segment of mask m holds 1/(m+1) of the contacts; the fractions are powers of two, so the sum is exact
        double covered = 0;
        for (EventTrackerStatus segment : segments) {
            covered += 1.0 / (segment.getSegment().getMask() + 1);
        }
        return covered >= 1.0;
    }

    /**
     * Running, every segment claimed, none failing. A segment whose batch failed is released and not claimed
     * again for a growing back-off, and a restarted app waits for the claims of its former self to expire: in
     * both the processor runs, but nothing moves.
     */
    @Override
    public boolean following() {
        return projection().filter(processor -> processor.isRunning() && !processor.isError())
                .map(StreamingEventProcessor::processingStatus)
                .filter(segments -> segments.values().stream().noneMatch(EventTrackerStatus::isErrorState))
                .filter(segments -> claimsEverySegment(segments.values()))
                .isPresent();
    }

    @Override
    public void lookNow() {
        eventStore.announceNow();
    }

    private record HeadAfter(long commits, long position) {
    }

    private Optional<StreamingEventProcessor> projection() {
        return processing.eventProcessor(LifecycleProjection.PROCESSING_GROUP, StreamingEventProcessor.class);
    }
}
