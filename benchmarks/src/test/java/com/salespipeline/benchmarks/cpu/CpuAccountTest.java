package com.salespipeline.benchmarks.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.benchmarks.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuAccountTest {

    @Test
    void aThreadThatEndedDuringThePhaseStillCounts() throws Exception {
        if (!Files.isReadable(Path.of("/proc/stat"))) {
            return; // no /proc: the harness writes no CPU figures there
        }
        Results results = Results.empty();
        try (CpuAccount cpu = new CpuAccount(results, "test")) {
            cpu.app(ProcessHandle.current().pid());
            CpuAccount.Phase phase = cpu.start("work");
            Thread spinner = new Thread(() -> {
                long until = System.nanoTime() + 1_500_000_000L;
                double sink = 0;
                while (System.nanoTime() < until) {
                    sink += Math.sqrt(sink + 1);
                }
                assertThat(sink).isPositive();
            }, "short-lived");
            spinner.start();
            spinner.join();
            Thread.sleep(300);
            phase.end();
        }

        assertThat(results.number("cpu.test.work.appThreadsPct.short-lived")).as("its share of the machine")
                .isGreaterThan(10);
    }
}
