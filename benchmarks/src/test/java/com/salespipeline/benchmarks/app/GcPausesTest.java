package com.salespipeline.benchmarks.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class GcPausesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsCountAndTotalTimeOfTheActuatorsTimerInSeconds() throws Exception {
        // the shape of Spring Boot's /actuator/metrics/jvm.gc.pause answer
        JsonNode metric = JSON.readTree("""
                {"name":"jvm.gc.pause","description":"Time spent in GC pause","baseUnit":"seconds",
                 "measurements":[{"statistic":"COUNT","value":42.0},{"statistic":"TOTAL_TIME","value":0.756},
                                 {"statistic":"MAX","value":0.031}],
                 "availableTags":[{"tag":"gc","values":["G1 Young Generation"]}]}""");

        GcPauses pauses = GcPauses.parse(metric);

        assertThat(pauses.count()).isEqualTo(42);
        assertThat(pauses.totalMs()).isCloseTo(756.0, within(1e-9));
    }

    @Test
    void aTimerInMillisecondsIsTakenAsItIs() throws Exception {
        JsonNode metric = JSON.readTree("""
                {"baseUnit":"milliseconds","measurements":[{"statistic":"TOTAL_TIME","value":90.5},
                 {"statistic":"COUNT","value":3.0}]}""");

        assertThat(GcPauses.parse(metric)).isEqualTo(new GcPauses(3, 90.5));
    }

    @Test
    void anAnswerWithoutCountOrTotalIsNotReadAsNoPauses() throws Exception {
        JsonNode onlyMax = JSON.readTree("""
                {"baseUnit":"seconds","measurements":[{"statistic":"MAX","value":0.02}]}""");

        assertThatThrownBy(() -> GcPauses.parse(onlyMax)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGaugeOrAnotherUnitIsRefused() throws Exception {
        JsonNode bytes = JSON.readTree("""
                {"baseUnit":"bytes","measurements":[{"statistic":"COUNT","value":1.0},
                 {"statistic":"TOTAL_TIME","value":1.0}]}""");

        assertThatThrownBy(() -> GcPauses.parse(bytes)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoReadingsGiveThePausesInBetweenAndTheirMean() {
        GcPauses level = new GcPauses(52, 1000.0).since(new GcPauses(12, 200.0));

        assertThat(level).isEqualTo(new GcPauses(40, 800.0));
        assertThat(level.meanMs()).hasValue(20.0);
    }

    @Test
    void noPausesHaveNoMean() {
        assertThat(new GcPauses(7, 70.0).since(new GcPauses(7, 70.0)).meanMs()).isEmpty();
    }
}
