package com.salespipeline.benchmarks.cpu;

import com.salespipeline.benchmarks.Results;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The CPU use of each phase of a run on one database, written to {@code cpu.<db>.<phase>}: what the machine, the
 * app (and its threads), the PostgreSQL server and the harness used while a figure was taken. It tells whether a
 * figure was limited by the cores or by something that waited, and whose work filled them. Off Linux there are no
 * such figures.
 */
public final class CpuAccount {

    private final Results results;
    private final String db;
    private OptionalLong appPid = OptionalLong.empty();

    public CpuAccount(Results results, String db) {
        this.results = results;
        this.db = db;
    }

    /** From now on the app's process is counted apart, with its threads. */
    public void app(long pid) {
        appPid = OptionalLong.of(pid);
    }

    /** Starts measuring {@code phase} (a dotted path below {@code cpu.<db>}); {@link Phase#end()} records it. */
    public Phase start(String phase) {
        return new Phase(phase, CpuSnapshot.take(appPid));
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
                CpuUsage.between(before.get(), after.get()).writeTo(results.at("cpu." + db + "." + name));
            }
        }
    }
}
