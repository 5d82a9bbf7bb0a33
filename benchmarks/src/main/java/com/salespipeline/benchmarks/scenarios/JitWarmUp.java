package com.salespipeline.benchmarks.scenarios;

import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.cpu.CpuSnapshot;
import com.salespipeline.benchmarks.cpu.CpuUsage;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A warm-up before a measured scenario: its load for at least the given time, then on, a step at a time, while the
 * app's JIT compilers still took a noticeable share of the machine, up to a longest time. On two cores the compilers
 * compete with the requests: in runs at 200,000 contacts whose compilers were still busy through the 64-client
 * append level the app answered about 40 % fewer commands there (docs/benchmarks.md, session 34), and the first
 * report variants of a 1M run were sampled with the compilers taking 11-54 % of the machine (session 36), so a
 * fixed warm-up measured the JIT's progress as much as the app. Where {@code /proc} cannot be read there is no
 * share, and the warm-up is the shortest time.
 */
public final class JitWarmUp {

    static final int STEP_SECONDS = 5;
    /** The compilers' share of the machine (every core busy = 100) below which a step counts as quiet. */
    static final double QUIET_COMPILERS_PCT = 5.0;

    /** What warms the app: the scenario's own requests, for about the given time. */
    @FunctionalInterface
    public interface Load {
        void run(int seconds) throws InterruptedException;
    }

    /**
     * @param seconds        how long the warm-up ran
     * @param compilersPct   the compilers' share of the machine in its last step, when it could be read
     * @param quiet          whether that share was below {@value #QUIET_COMPILERS_PCT} % when the warm-up ended
     */
    public record Done(int seconds, OptionalDouble compilersPct, boolean quiet) {
    }

    private JitWarmUp() {
    }

    public static Done run(Load load, long appPid, int minSeconds, int maxSeconds, Progress progress)
            throws InterruptedException {
        int seconds = Math.max(0, minSeconds);
        OptionalDouble compilers = step(load, appPid, seconds);
        while (compilers.isPresent() && compilers.getAsDouble() >= QUIET_COMPILERS_PCT
                && seconds + STEP_SECONDS <= maxSeconds) {
            progress.note(String.format(Locale.ROOT, "the app's JIT compilers took %.1f %% of the machine: %d s more",
                    compilers.getAsDouble(), STEP_SECONDS));
            compilers = step(load, appPid, STEP_SECONDS);
            seconds += STEP_SECONDS;
        }
        return new Done(seconds, compilers, compilers.isPresent() && compilers.getAsDouble() < QUIET_COMPILERS_PCT);
    }

    /** Runs the load for {@code seconds}; returns the compilers' share of the machine meanwhile. */
    private static OptionalDouble step(Load load, long appPid, int seconds) throws InterruptedException {
        Optional<CpuSnapshot> before = CpuSnapshot.take(OptionalLong.of(appPid));
        load.run(seconds);
        return CpuUsage.compilersPctBetween(before, CpuSnapshot.take(OptionalLong.of(appPid)));
    }
}
