package com.salespipeline.benchmarks.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.salespipeline.benchmarks.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuAccountTest {

    /** What the spinning thread computed, so that its loop is not optimised away. */
    private volatile double sink;

    @Test
    void aThreadThatEndedDuringThePhaseStillCounts() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "no /proc: the harness writes no CPU figures there");
        Results results = Results.empty();
        try (CpuAccount cpu = new CpuAccount(results, "test")) {
            cpu.app(ProcessHandle.current().pid());
            CpuAccount.Phase phase = cpu.start("work");
            Thread spinner = new Thread(() -> {
                long until = System.nanoTime() + 1_500_000_000L;
                double sum = 0;
                while (System.nanoTime() < until) {
                    sum += Math.sqrt(sum + 1);
                }
                sink = sum;
            }, "short-lived");
            spinner.start();
            spinner.join();
            Thread.sleep(300);
            phase.end();
        }

        // it spun for 1.5 s of a phase of about 1.8 s and was last read at least 0.5 s into its spin; one thread busy
        // throughout is 100 / cores of the machine
        assertThat(sink).isPositive();
        assertThat(results.number("cpu.test.work.appThreadsPct.short-lived")).as("its share of the machine")
                .isGreaterThan(100.0 / Runtime.getRuntime().availableProcessors() / 6);
    }
}
