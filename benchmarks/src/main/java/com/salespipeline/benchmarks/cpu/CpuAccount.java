package com.salespipeline.benchmarks.cpu;

import com.salespipeline.benchmarks.Results;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The CPU use of each phase of a run on one database, written to {@code cpu.<db>.<phase>}: what the machine, the
 * app (and its threads), the PostgreSQL server and the harness used while a figure was taken. It tells whether a
 * figure was limited by the cores or by something that waited, and whose work filled them. Off Linux there are no
 * such figures.
 *
 * <p>A thread's time can only be read while it lives, and the replay's threads end with the replay; so the app's
 * threads are also read every second, and a thread that ended during a phase counts with its last reading (one
 * that began and ended between two readings is missed).
 */
public final class CpuAccount implements AutoCloseable {

    private final Results results;
    private final String db;
    private final Map<Long, CpuSnapshot.NamedTicks> lastSeen = new HashMap<>();
    private volatile OptionalLong appPid = OptionalLong.empty();
    private Thread poller;

    public CpuAccount(Results results, String db) {
        this.results = results;
        this.db = db;
    }

    /** From now on the app's process is counted apart, with its threads. */
    public synchronized void app(long pid) {
        appPid = OptionalLong.of(pid);
        if (poller == null) {
            poller = new Thread(this::poll, "cpu-account");
            poller.setDaemon(true);
            poller.start();
        }
    }

    private void poll() {
        while (!Thread.currentThread().isInterrupted()) {
            OptionalLong pid = appPid;
            if (pid.isPresent()) {
                // under the lock, so that a reading taken before a phase starts cannot land after it started
                synchronized (lastSeen) {
                    lastSeen.putAll(CpuSnapshot.appThreads(pid.getAsLong()));
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Starts measuring {@code phase} (a dotted path below {@code cpu.<db>}); {@link Phase#end()} records it. */
    public Phase start(String phase) {
        synchronized (lastSeen) {
            Optional<CpuSnapshot> before = CpuSnapshot.take(appPid);
            // threads that ended before this phase are not its own
            lastSeen.clear();
            before.ifPresent(snapshot -> lastSeen.putAll(snapshot.appThreads()));
            return new Phase(phase, before);
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.interrupt();
        }
    }

    public final class Phase {
        private final String name;
        private final Optional<CpuSnapshot> before;

        private Phase(String name, Optional<CpuSnapshot> before) {
            this.name = name;
            this.before = before;
        }

        public void end() {
            Optional<CpuSnapshot> after = CpuSnapshot.take(appPid);
            if (before.isPresent() && after.isPresent()) {
                Map<Long, CpuSnapshot.NamedTicks> threads;
                synchronized (lastSeen) {
                    threads = new HashMap<>(lastSeen);
                }
                threads.putAll(after.get().appThreads());
                CpuUsage usage = CpuUsage.between(before.get(), after.get().withAppThreads(threads));
                (db.equals("postgres") ? usage : usage.withPostgresAsOther()).writeTo(results.at("cpu." + db + "." + name));
            }
        }
    }
}
