package com.salespipeline.benchmarks.scenarios;

import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.cpu.CpuSnapshot;
import com.salespipeline.benchmarks.cpu.CpuUsage;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The append scenario's warm-up: 16 clients for at least the given time, then on, a step at a time, while the app's
 * JIT compilers still took a noticeable share of the machine, up to a longest time. On two cores the compilers
 * compete with the commands: in runs at 200,000 contacts whose compilers were still busy through the 64-client
 * level the app answered about 40 % fewer commands there (docs/benchmarks.md, session 34), so a fixed warm-up measured the
 * JIT's progress as much as the app. Where {@code /proc} cannot be read there is no share, and the warm-up is the
 * shortest time.
 */
public final class AppendWarmUp {

    static final int STEP_SECONDS = 5;
    /** The compilers' share of the machine (every core busy = 100) below which a step counts as quiet. */
    static final double QUIET_COMPILERS_PCT = 5.0;
    private static final int CLIENTS = 16;

    /**
     * @param seconds        how long the warm-up ran
     * @param compilersPct   the compilers' share of the machine in its last step, when it could be read
     * @param quiet          whether that share was below {@value #QUIET_COMPILERS_PCT} % when the warm-up ended
     */
    public record Done(int seconds, OptionalDouble compilersPct, boolean quiet) {
    }

    private AppendWarmUp() {
    }

    public static Done run(AppendScenario append, long appPid, int minSeconds, int maxSeconds, Progress progress)
            throws InterruptedException {
        int seconds = Math.max(0, minSeconds);
        OptionalDouble compilers = step(append, appPid, seconds, progress);
        while (compilers.isPresent() && compilers.getAsDouble() >= QUIET_COMPILERS_PCT
                && seconds + STEP_SECONDS <= maxSeconds) {
            progress.note(String.format(Locale.ROOT, "the app's JIT compilers took %.1f %% of the machine: %d s more",
                    compilers.getAsDouble(), STEP_SECONDS));
            compilers = step(append, appPid, STEP_SECONDS, progress);
            seconds += STEP_SECONDS;
        }
        return new Done(seconds, compilers, compilers.isPresent() && compilers.getAsDouble() < QUIET_COMPILERS_PCT);
    }

    /** Runs the clients for {@code seconds}; returns the compilers' share of the machine meanwhile. */
    private static OptionalDouble step(AppendScenario append, long appPid, int seconds, Progress progress)
            throws InterruptedException {
        Optional<CpuSnapshot> before = CpuSnapshot.take(OptionalLong.of(appPid));
        append.run(CLIENTS, seconds, progress);
        return CpuUsage.compilersPctBetween(before, CpuSnapshot.take(OptionalLong.of(appPid)));
    }
}
