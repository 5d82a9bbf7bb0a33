package com.salespipeline.benchmarks.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.salespipeline.benchmarks.Results;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuAccountTest {

    private static final long SPUN_NANOS = 1_500_000_000L;

    /** What the spinning thread computed, so that its loop is not optimised away. */
    private volatile double sink;

    @Test
    void aThreadThatEndedDuringThePhaseStillCounts() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "no /proc: the harness writes no CPU figures there");
        Results results = Results.empty();
        long wallStart;
        long wallNanos;
        try (CpuAccount cpu = new CpuAccount(results, "test")) {
            cpu.app(ProcessHandle.current().pid());
            wallStart = System.nanoTime();
            CpuAccount.Phase phase = cpu.start("work");
            Thread spinner = new Thread(() -> {
                // 1.5 s of its own CPU however busy the machine is, then alive long enough for the account's
                // once-a-second reading to see all of it, then gone before the phase ends
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long cpuStart = threads.getCurrentThreadCpuTime();
                double sum = 0;
                while (threads.getCurrentThreadCpuTime() - cpuStart < SPUN_NANOS) {
                    for (int i = 0; i < 10_000; i++) {
                        sum += Math.sqrt(sum + 1);
                    }
                }
                sink = sum;
                try {
                    Thread.sleep(2_500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "short-lived");
            spinner.start();
            spinner.join();
            Thread.sleep(300);
            phase.end();
            wallNanos = System.nanoTime() - wallStart;
        }

        // its 1.5 s of CPU as a share of the machine over the phase (the kernel counts in ticks of 10 ms)
        double spunShare = 100.0 * (SPUN_NANOS - 50_000_000L) / wallNanos / Runtime.getRuntime().availableProcessors();
        assertThat(sink).isPositive();
        assertThat(results.number("cpu.test.work.appThreadsPct.short-lived")).as("its share of the machine")
                .isGreaterThan(spunShare);
    }
}
