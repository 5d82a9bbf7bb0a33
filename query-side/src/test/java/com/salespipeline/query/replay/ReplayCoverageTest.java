package com.salespipeline.query.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.junit.jupiter.api.Test;

class ReplayCoverageTest {

    static TrackingToken at(long index, Long... gaps) {
        return GapAwareTrackingToken.newInstance(index, Set.of(gaps));
    }

    static TrackingToken offsets(long first, long second) {
        return KafkaTrackingToken.newInstance(Map.of(new TopicPartition("events", 0), first,
                new TopicPartition("events", 1), second));
    }

    @Test
    void aReplayPastEveryLivePositionCoversThem() {
        List<TrackingToken> live = List.of(at(8), at(10, 9L));

        assertThat(ReplayCoverage.covers(at(10), live)).isTrue();
        assertThat(ReplayCoverage.reaches(at(10), live)).isTrue();
    }

    @Test
    void aGapTheLiveProjectionNoLongerKnowsOnlyReachesItsPosition() {
        // index 5 was never committed: the replay keeps it as a gap, the live token dropped it long ago
        List<TrackingToken> live = List.of(at(10));

        assertThat(ReplayCoverage.covers(at(10, 5L), live)).isFalse();
        assertThat(ReplayCoverage.reaches(at(10, 5L), live)).isTrue();
    }

    @Test
    void aReplayShortOfTheLiveProjectionNeitherCoversNorReachesIt() {
        List<TrackingToken> live = List.of(at(12));

        assertThat(ReplayCoverage.covers(at(10), live)).isFalse();
        assertThat(ReplayCoverage.reaches(at(10), live)).isFalse();
        assertThat(ReplayCoverage.reaches(null, live)).isFalse();
    }

    @Test
    void aLiveProjectionWithoutPositionsIsCoveredByAnything() {
        assertThat(ReplayCoverage.covers(null, List.of())).isTrue();
        assertThat(ReplayCoverage.reaches(null, List.of())).isTrue();
    }

    @Test
    void topicOffsetsAreComparedPartitionByPartition() {
        assertThat(ReplayCoverage.covers(offsets(5, 7), List.of(offsets(5, 6)))).isTrue();
        assertThat(ReplayCoverage.covers(offsets(5, 7), List.of(offsets(6, 6)))).isFalse();
        assertThat(ReplayCoverage.reaches(offsets(5, 7), List.of(offsets(6, 6)))).isFalse();
        // a partition the replay has not seen any record of yet
        TrackingToken onePartition = KafkaTrackingToken.newInstance(Map.of(new TopicPartition("events", 0), 5L));
        assertThat(ReplayCoverage.covers(onePartition, List.of(offsets(5, 0)))).isFalse();
    }

    @Test
    void positionsOfDifferentKindsAreNotCompared() {
        assertThatThrownBy(() -> ReplayCoverage.reaches(new GlobalSequenceTrackingToken(10), List.of(at(10))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theReplaysPositionOnTheTopicKeepsEveryPartitionItRead() {
        TrackingToken first = KafkaTrackingToken.newInstance(Map.of(new TopicPartition("events", 0), 4L));
        TrackingToken second = KafkaTrackingToken.newInstance(Map.of(new TopicPartition("events", 1), 2L));

        TrackingToken reached = ReplayCoverage.advanced(ReplayCoverage.advanced(null, first), second);

        assertThat(((KafkaTrackingToken) reached).getPositions()).containsOnly(
                Map.entry(new TopicPartition("events", 0), 4L), Map.entry(new TopicPartition("events", 1), 2L));
        assertThat(ReplayCoverage.advanced(at(10), at(12, 11L))).isEqualTo(at(12, 11L));
    }
}
