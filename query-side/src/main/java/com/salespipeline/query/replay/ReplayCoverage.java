package com.salespipeline.query.replay;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BiPredicate;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;

/**
 * Whether a replay has seen every event the live projection applied before it paused: only then may the new
 * generation replace the live one, which resumes from its own position and would never apply what lies between.
 */
final class ReplayCoverage {

    private ReplayCoverage() {
    }

    /** Every event each live position has seen, the replay has seen too, gaps included. */
    static boolean covers(TrackingToken replayed, List<TrackingToken> livePositions) {
        return eachLivePosition(replayed, livePositions, TrackingToken::covers);
    }

    /**
     * The replay has read as far as each live position, though not every gap of its own is one the live position
     * has: an index left unused by a rolled-back transaction stays a gap in the replay's token while the live token
     * has long dropped it. Once the history has been quiet, that is all that can be asked.
     */
    static boolean reaches(TrackingToken replayed, List<TrackingToken> livePositions) {
        return eachLivePosition(replayed, livePositions, (replay, live) -> {
            OptionalLong replayedPosition = replay.position();
            OptionalLong livePosition = live.position();
            return livePosition.isEmpty()
                    || replayedPosition.isPresent() && replayedPosition.getAsLong() >= livePosition.getAsLong();
        });
    }

    /** Topic offsets compare partition by partition; the event store's positions by {@code comparison}. */
    private static boolean eachLivePosition(TrackingToken replayed, List<TrackingToken> livePositions,
                                            BiPredicate<TrackingToken, TrackingToken> comparison) {
        return livePositions.stream().allMatch(live -> {
            if (replayed == null) {
                return false;
            }
            if (replayed instanceof KafkaTrackingToken offsets && live instanceof KafkaTrackingToken liveOffsets) {
                return reachesEveryPartition(offsets, liveOffsets);
            }
            if (!replayed.getClass().equals(live.getClass())) {
                throw new IllegalStateException("cannot compare the replay's position " + replayed
                        + " with the live projection's position " + live);
            }
            return comparison.test(replayed, live);
        });
    }

    /**
     * Where the replay stands once it has applied an event read at {@code next}. The topic's records each carry a
     * position that need not name the partitions read before them, so offsets are kept per partition.
     */
    static TrackingToken advanced(TrackingToken replayed, TrackingToken next) {
        if (replayed instanceof KafkaTrackingToken offsets && next instanceof KafkaTrackingToken) {
            return offsets.upperBound(next);
        }
        return next;
    }

    // per partition; a partition without any event yet may be missing from either token
    private static boolean reachesEveryPartition(KafkaTrackingToken replayed, KafkaTrackingToken live) {
        Map<?, Long> replayedOffsets = replayed.getPositions();
        return live.getPositions().entrySet().stream()
                .allMatch(partition -> replayedOffsets.getOrDefault(partition.getKey(), -1L) >= partition.getValue());
    }
}
