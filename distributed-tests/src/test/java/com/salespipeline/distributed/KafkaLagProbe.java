package com.salespipeline.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: the lag through Kafka in the distributed setup (issue 5's target: p99 <= 1000 ms), which the harness,
 * running the standalone app, does not measure. As the harness measures the standalone app's lag: one capture at a
 * time, each in a campaign of its own, from the command side's 201 to the first funnel of the query side that counts
 * it, polled every 2 ms (so a report's round trip is in it), nothing else running. Prints p50, p99 and the maximum.
 * <pre>
 * ./mvnw -B -DskipTests install && ./mvnw -B -pl distributed-tests verify -Dit.test=KafkaLagProbe -Dprobe.kafka.lag=300
 * </pre>
 * Its figures are in
 * distributed-tests/target/failsafe-reports/*KafkaLagProbe-output.txt.
 */
@EnabledIfSystemProperty(named = "probe.kafka.lag", matches = "\\d+")
class KafkaLagProbe {

    private static final int WARM_UPS = 50;
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path directory;

    @Test
    void lagFromACapturesAnswerToTheQuerySidesFunnel() throws Exception {
        int samples = Integer.getInteger("probe.kafka.lag");
        try (DistributedPipeline pipeline = DistributedPipeline.start(directory)) {
            HttpClientSupport commands = pipeline.commands();
            HttpClientSupport queries = pipeline.queries();
            for (int i = 0; i < WARM_UPS; i++) {
                lagMillis(commands, queries);
            }
            double[] lags = new double[samples];
            for (int i = 0; i < samples; i++) {
                lags[i] = lagMillis(commands, queries);
            }
            Arrays.sort(lags);
            System.out.printf(Locale.ROOT, "lag through Kafka, %d samples after %d warm-ups: p50 %.1f ms, p99 %.1f ms,"
                            + " max %.1f ms, mean %.1f ms%n", samples, WARM_UPS, rank(lags, 0.50), rank(lags, 0.99),
                    lags[samples - 1], Arrays.stream(lags).average().orElse(Double.NaN));
        }
    }

    /** Milliseconds from the capture's answer to a funnel that counts it; fails if none does within 30 s. */
    private static double lagMillis(HttpClientSupport commands, HttpClientSupport queries) throws InterruptedException {
        String campaign = "lag-" + UUID.randomUUID();
        Reply captured = commands.post("/api/contacts", "service-dev-key", "{\"name\":\"Lag Probe\",\"email\":\""
                + UUID.randomUUID() + "@example.com\",\"source\":\"WEB_FORM\",\"campaign\":\"" + campaign + "\"}");
        long answered = System.nanoTime();
        assertThat(captured.status()).as(captured.text()).isEqualTo(201);
        while (true) {
            Reply funnel = queries.get("/api/reports/funnel?campaign=" + campaign, "analyst-dev-key");
            if (funnel.status() == 200 && funnel.json().at("/stages/0/reached").asLong() == 1) {
                return (System.nanoTime() - answered) / 1e6;
            }
            assertThat(System.nanoTime() - answered).as("the query side counted the capture within 30 s")
                    .isLessThan(GIVE_UP_NANOS);
            Thread.sleep(2);
        }
    }

    /** Nearest rank. */
    private static double rank(double[] sorted, double quantile) {
        return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
}
