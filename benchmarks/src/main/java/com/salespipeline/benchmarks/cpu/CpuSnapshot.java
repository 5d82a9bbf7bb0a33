package com.salespipeline.benchmarks.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The CPU time that the machine, the app, the PostgreSQL server, and this harness had used at one moment, read
 * from Linux's {@code /proc} in clock ticks. Two snapshots give what each used in between ({@link CpuUsage}):
 * what the figures of a scenario had to share the cores with.
 *
 * <p>The PostgreSQL server is every process named {@code postgres} on this machine: the postmaster and its
 * backends, whose names stay {@code postgres} whatever title they set. A backend that ends between two
 * snapshots is not lost: the kernel adds its time to its parent's children's time, which is counted too.
 *
 * @param machineTotal  ticks of all CPUs in every state, since boot
 * @param machineIdle   of those, idle and waiting for I/O
 * @param machineIowait of the idle ones, those when a task was waiting for the disk: a core with nothing to run
 *                      because what would run waits for a write or a read (an fsync of a commit, a checkpoint)
 * @param machineSteal  of those, stolen: time the hypervisor gave another guest while this one had work to run
 * @param app           ticks of the app process, all its threads, living and ended
 * @param appThreads    ticks per living thread of the app, by thread id, with the thread's name
 * @param postgres      ticks of the processes named postgres, with their ended children's
 * @param harness       ticks of this JVM
 */
public record CpuSnapshot(long machineTotal, long machineIdle, long machineIowait, long machineSteal, long app,
                          Map<Long, NamedTicks> appThreads, long postgres, long harness) {

    private static final Path PROC = Path.of("/proc");

    /** A thread's name (the kernel's, at most 15 characters) and its ticks. */
    public record NamedTicks(String name, long ticks) {
    }

    /** What {@code /proc} tells now, with the app's threads when {@code appPid} is given; empty off Linux. */
    public static Optional<CpuSnapshot> take(OptionalLong appPid) {
        if (!Files.isReadable(PROC.resolve("stat"))) {
            return Optional.empty();
        }
        try {
            long[] machine = machineTicks(Files.readAllLines(PROC.resolve("stat")).get(0));
            long app = 0;
            Map<Long, NamedTicks> threads = new HashMap<>();
            if (appPid.isPresent()) {
                Optional<ProcStat> stat = ProcStat.read(PROC.resolve(appPid.getAsLong() + "/stat"));
                app = stat.map(ProcStat::ownTicks).orElse(0L);
            }
            // read right after the app's, before its threads: reading every thread's file takes long enough on a
            // busy machine for the two totals to drift apart by several ticks
            long harness = ProcStat.read(PROC.resolve(ProcessHandle.current().pid() + "/stat"))
                    .map(ProcStat::ownTicks).orElse(0L);
            if (appPid.isPresent()) {
                threads = threadTicks(PROC.resolve(appPid.getAsLong() + "/task"));
            }
            return Optional.of(new CpuSnapshot(machine[0], machine[1], machine[3], machine[2], app, threads,
                    postgresTicks(), harness));
        } catch (IOException | RuntimeException unreadable) {
            // a kernel without these files, or one that words them otherwise: no CPU figures rather than wrong ones
            return Optional.empty();
        }
    }

    /** The same readings with {@code threads} as the app's threads. */
    public CpuSnapshot withAppThreads(Map<Long, NamedTicks> threads) {
        return new CpuSnapshot(machineTotal, machineIdle, machineIowait, machineSteal, app, Map.copyOf(threads),
                postgres, harness);
    }

    /** The app's living threads now; none when it cannot be read. */
    static Map<Long, NamedTicks> appThreads(long pid) {
        try {
            return threadTicks(PROC.resolve(pid + "/task"));
        } catch (IOException | RuntimeException unreadable) {
            return Map.of();
        }
    }

    /**
     * Total, idle (idle + iowait), stolen and iowait ticks, in that order, from the first line of /proc/stat ("cpu user
     * nice system idle iowait irq softirq steal ..."); no steal on a kernel that does not count it.
     */
    static long[] machineTicks(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (!fields[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        }
        long total = 0;
        // user nice system idle iowait irq softirq steal; guest time is already inside user and nice
        for (int i = 1; i < Math.min(fields.length, 9); i++) {
            total += Long.parseLong(fields[i]);
        }
        long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
        long iowait = Long.parseLong(fields[5]);
        return new long[]{total, Long.parseLong(fields[4]) + iowait, steal, iowait};
    }

    private static Map<Long, NamedTicks> threadTicks(Path tasks) throws IOException {
        Map<Long, NamedTicks> threads = new HashMap<>();
        List<Path> ids;
        try (Stream<Path> list = Files.list(tasks)) {
            ids = list.toList();
        } catch (IOException gone) {
            return threads;
        }
        for (Path task : ids) {
            ProcStat.read(task.resolve("stat")).ifPresent(stat ->
                    threads.put(Long.parseLong(task.getFileName().toString()), new NamedTicks(stat.name(), stat.ownTicks())));
        }
        return threads;
    }

    private static long postgresTicks() throws IOException {
        long ticks = 0;
        for (ProcStat stat : postgresProcesses().values()) {
            ticks += stat.ownTicks() + stat.endedChildrenTicks();
        }
        return ticks;
    }

    /** The processes named postgres now: their {@code /proc/<pid>} folders and their stat lines. */
    static Map<Path, ProcStat> postgresProcesses() throws IOException {
        List<Path> processes;
        try (Stream<Path> list = Files.list(PROC)) {
            processes = list.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit)).toList();
        }
        Map<Path, ProcStat> postgres = new HashMap<>();
        for (Path process : processes) {
            Optional<ProcStat> stat = ProcStat.read(process.resolve("stat"));
            if (stat.isPresent() && stat.get().name().equals("postgres")) {
                postgres.put(process, stat.get());
            }
        }
        return postgres;
    }
}
