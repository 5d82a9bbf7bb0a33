package com.salespipeline.benchmarks.cpu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.salespipeline.benchmarks.Results;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What used the machine's CPU between two snapshots, each as a share of the whole machine (every core busy =
 * 100): the machine in all, the app, the PostgreSQL server, this harness, the time the hypervisor gave to other
 * guests instead ("steal": the cores were not this machine's, which on a shared host makes an hour slower than the
 * next), and the rest. Beside them, of the idle share, the part spent waiting for the disk ("iowait"): a phase whose
 * commands stall with cores to spare shows there whether they waited for the disk. The app's share is split
 * by thread name, with numbered threads of one pool ("GC Thread#1", "pool-3-thread-12") counted together; a thread
 * that ended in between counts as {@link CpuAccount} last read it.
 */
public record CpuUsage(double machineBusy, double app, double postgres, double harness, double steal, double iowait,
                       double other, Map<String, Double> appThreads) {

    /** Thread groups below this share of the machine are left out of {@link #appThreads}. */
    static final double SMALLEST_THREAD_SHARE = 1.0;

    public static CpuUsage between(CpuSnapshot before, CpuSnapshot after) {
        double total = Math.max(1, after.machineTotal() - before.machineTotal());
        // the machine's counters and a process's are read moments apart and counted in ticks of 10 ms, so over a
        // short phase a process can seem to use more than the machine did; a share is held within the machine
        Function<Long, Double> share = ticks -> Math.min(100.0, 100.0 * Math.max(0, ticks) / total);
        double busy = 100.0 - share.apply(after.machineIdle() - before.machineIdle());
        double app = share.apply(after.app() - before.app());
        double postgres = share.apply(after.postgres() - before.postgres());
        double harness = share.apply(after.harness() - before.harness());
        double steal = share.apply(after.machineSteal() - before.machineSteal());
        double iowait = share.apply(after.machineIowait() - before.machineIowait());
        Map<String, Long> byGroup = new TreeMap<>();
        after.appThreads().forEach((id, thread) -> {
            CpuSnapshot.NamedTicks earlier = before.appThreads().get(id);
            long ticks = Math.max(0, thread.ticks() - (earlier == null ? 0 : earlier.ticks()));
            byGroup.merge(group(thread.name()), ticks, Long::sum);
        });
        Map<String, Double> threads = byGroup.entrySet().stream()
                .filter(entry -> share.apply(entry.getValue()) >= SMALLEST_THREAD_SHARE)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> share.apply(entry.getValue()),
                        (a, b) -> a, LinkedHashMap::new));
        return new CpuUsage(busy, app, postgres, harness, steal, iowait,
                Math.max(0, busy - app - postgres - harness - steal), threads);
    }

    /**
     * The share of the app's JIT compiler threads (the kernel names HotSpot's "C2 CompilerThread0" "C2 CompilerThre"),
     * of those counted in {@link #appThreads}. Held within the machine as each group's share is: over a phase of a
     * few ticks, C1 and C2 can each seem to have used all of it.
     */
    public double compilersPct() {
        return Math.min(100.0, appThreads.entrySet().stream()
                .filter(thread -> thread.getKey().startsWith("C1 Compiler") || thread.getKey().startsWith("C2 Compiler"))
                .mapToDouble(Map.Entry::getValue)
                .sum());
    }

    /** The compilers' share between two snapshots, when both could be read ({@link #compilersPct()}). */
    public static OptionalDouble compilersPctBetween(Optional<CpuSnapshot> before, Optional<CpuSnapshot> after) {
        return before.isPresent() && after.isPresent()
                ? OptionalDouble.of(between(before.get(), after.get()).compilersPct())
                : OptionalDouble.empty();
    }

    /** A pool's threads under one name: the kernel's name without its trailing number. */
    static String group(String threadName) {
        return threadName.replaceFirst("[-#_ ]?\\d+$", "");
    }

    /**
     * The same, with no PostgreSQL server of the run: in an H2 run a server that only happens to run on this machine
     * (another user's, a developer's) is part of {@link #other}, not of the run.
     */
    public CpuUsage withPostgresAsOther() {
        return new CpuUsage(machineBusy, app, 0, harness, steal, iowait, other + postgres, appThreads);
    }

    public void writeTo(ObjectNode figures) {
        figures.put("machineBusyPct", Results.round(machineBusy));
        figures.put("appPct", Results.round(app));
        figures.put("postgresPct", Results.round(postgres));
        figures.put("harnessPct", Results.round(harness));
        figures.put("stealPct", Results.round(steal));
        figures.put("iowaitPct", Results.round(iowait));
        figures.put("otherPct", Results.round(other));
        ObjectNode threads = figures.putObject("appThreadsPct");
        appThreads.forEach((name, pct) -> threads.put(name, Results.round(pct)));
    }
}
