package com.salespipeline.benchmarks.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CpuUsageTest {

    @Test
    void aThreadNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        ProcStat stat = ProcStat.parse("4242 (C2 (Compiler) x) S 1 4242 4242 0 -1 4194560 9 0 0 0 1200 34 56 78 20 0"
                + " 31 0 100 0 0");

        assertThat(stat.name()).isEqualTo("C2 (Compiler) x");
        assertThat(stat.ownTicks()).isEqualTo(1234);
        assertThat(stat.endedChildrenTicks()).isEqualTo(134);
    }

    @Test
    void theMachineIsIdleInIdleAndIowaitOnly() {
        long[] ticks = CpuSnapshot.machineTicks("cpu  100 5 50 800 40 3 2 0 7 0");

        assertThat(ticks[0]).as("user nice system idle iowait irq softirq steal").isEqualTo(1000);
        assertThat(ticks[1]).isEqualTo(840);
        assertThat(ticks[2]).as("steal").isZero();
        assertThat(ticks[3]).as("iowait").isEqualTo(40);
        assertThat(CpuSnapshot.machineTicks("cpu  100 5 50 800 40 3 2 60 7 0")).containsExactly(1060, 840, 60, 40);
    }

    @Test
    void sharesAreOfTheWholeMachineAndThreadsOfAPoolCountTogether() {
        CpuSnapshot before = new CpuSnapshot(10_000, 6_000, 2_000, 1_000, 500, Map.of(
                1L, new CpuSnapshot.NamedTicks("http-nio-8080-exec-1", 100),
                2L, new CpuSnapshot.NamedTicks("http-nio-8080-exec-2", 100),
                3L, new CpuSnapshot.NamedTicks("group-committer", 50),
                4L, new CpuSnapshot.NamedTicks("Attach Listener", 1)), 300, 40);
        // 1,000 ticks pass (500 per core on two cores): 800 busy, 50 of them stolen, and of the 200 idle 120 waited
        // for the disk; thread 5 is new, thread 4 ended
        CpuSnapshot after = new CpuSnapshot(11_000, 6_200, 2_120, 1_050, 850, Map.of(
                1L, new CpuSnapshot.NamedTicks("http-nio-8080-exec-1", 250),
                2L, new CpuSnapshot.NamedTicks("http-nio-8080-exec-2", 200),
                3L, new CpuSnapshot.NamedTicks("group-committer", 150),
                5L, new CpuSnapshot.NamedTicks("GC Thread#0", 5)), 600, 140);

        CpuUsage usage = CpuUsage.between(before, after);

        assertThat(usage.machineBusy()).isCloseTo(80, within(1e-9));
        assertThat(usage.app()).isCloseTo(35, within(1e-9));
        assertThat(usage.postgres()).isCloseTo(30, within(1e-9));
        assertThat(usage.harness()).isCloseTo(10, within(1e-9));
        assertThat(usage.steal()).isCloseTo(5, within(1e-9));
        assertThat(usage.iowait()).isCloseTo(12, within(1e-9));
        assertThat(usage.other()).as("busy, less the processes and the steal: none left").isCloseTo(0, within(1e-9));
        assertThat(usage.appThreads()).containsExactly(Map.entry("http-nio-8080-exec", 25.0),
                Map.entry("group-committer", 10.0));

        // an H2 run: a server that merely runs on the machine is some of the rest, none of the run's
        CpuUsage h2Run = usage.withPostgresAsOther();
        assertThat(h2Run.postgres()).isZero();
        assertThat(h2Run.other()).isCloseTo(30, within(1e-9));
        assertThat(h2Run.app()).isEqualTo(usage.app());
        assertThat(h2Run.machineBusy()).isEqualTo(usage.machineBusy());
    }

    @Test
    void theCompilersAreTheC1AndC2CompilerThreadsAlone() {
        CpuSnapshot before = machineWith(10_000, Map.of(1L, named("C2 CompilerThre", 100), 2L,
                named("C1 CompilerThre", 10), 3L, named("group-committer", 50)));
        // 1,000 ticks pass: C2 100 (10 %), C1 30 (3 %), the committer 200; a C2 thread started meanwhile 20 (2 %)
        CpuSnapshot after = machineWith(11_000, Map.of(1L, named("C2 CompilerThre", 200), 2L,
                named("C1 CompilerThre", 40), 3L, named("group-committer", 250), 4L, named("C2 CompilerThre", 20)));

        assertThat(CpuUsage.between(before, after).compilersPct()).isCloseTo(15, within(1e-9));
    }

    @Test
    void overAFewTicksTheCompilersTogetherStillHoldAtMostTheMachine() {
        CpuSnapshot before = machineWith(10_000, Map.of(1L, named("C2 CompilerThre", 100), 2L,
                named("C1 CompilerThre", 10)));
        // 3 ticks of the machine pass, read a moment before each thread's 4 (seen in a smoke run: 200 %)
        CpuSnapshot after = machineWith(10_003, Map.of(1L, named("C2 CompilerThre", 104), 2L,
                named("C1 CompilerThre", 14)));

        assertThat(CpuUsage.between(before, after).compilersPct()).isEqualTo(100.0);
    }

    private static CpuSnapshot machineWith(long machineTicks, Map<Long, CpuSnapshot.NamedTicks> appThreads) {
        return new CpuSnapshot(machineTicks, 0, 0, 0, 0, appThreads, 0, 0);
    }

    private static CpuSnapshot.NamedTicks named(String thread, long ticks) {
        return new CpuSnapshot.NamedTicks(thread, ticks);
    }

    @Test
    void numberedThreadsOfOnePoolShareAName() {
        assertThat(CpuUsage.group("http-nio-8080-exec-12")).isEqualTo("http-nio-8080-exec");
        assertThat(CpuUsage.group("GC Thread#1")).isEqualTo("GC Thread");
        assertThat(CpuUsage.group("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
        assertThat(CpuUsage.group("group-committer")).isEqualTo("group-committer");
    }

    @Test
    void onLinuxThisJvmIsSeenWorking() {
        CpuSnapshot before = CpuSnapshot.take(OptionalLong.of(ProcessHandle.current().pid())).orElse(null);
        assumeTrue(before != null, "no /proc: the harness writes no CPU figures there");
        // spin for 300 ms of this thread's own CPU, however long that takes on a machine shared with others, and
        // expect /proc to show at least half of what the JVM itself counted (a fixed 300 ms of wall time was
        // seen at exactly a third of a core while a whole build ran beside it)
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        double sink = 0;
        while (threads.getCurrentThreadCpuTime() - cpuStart < 300_000_000L) {
            sink += Math.sqrt(sink + 1);
        }
        CpuUsage usage = CpuUsage.between(before, CpuSnapshot.take(OptionalLong.of(ProcessHandle.current().pid()))
                .orElseThrow());
        double spun = 100.0 * 300_000_000L / (System.nanoTime() - wallStart) / Runtime.getRuntime().availableProcessors();

        assertThat(sink).isPositive();
        assertThat(usage.harness()).as("this JVM, counted as the harness").isGreaterThan(spun / 2);
        // and as the app, by the same pid: read apart from the harness's figure, and a thread descheduled between the
        // two reads lets the JVM's other threads add ticks to one of them (5.6 points apart in a CI run of 2026-12-08)
        assertThat(usage.app()).as("and as the app, by the same pid").isGreaterThan(spun / 2)
                .isLessThanOrEqualTo(usage.machineBusy() + 5);
        // the spinning thread, under the kernel's name for it ("java" for a launcher's main thread)
        assertThat(usage.appThreads().values()).anySatisfy(share -> assertThat(share).isGreaterThan(spun / 2));
        assertThat(usage.machineBusy()).isGreaterThanOrEqualTo(usage.harness() - 5);
    }
}
