package com.salespipeline.benchmarks.scenarios;

import com.salespipeline.benchmarks.app.ApiClient;
import com.salespipeline.benchmarks.app.GcPauses;
import com.salespipeline.benchmarks.cpu.CpuSnapshot;
import com.salespipeline.benchmarks.cpu.CpuUsage;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What else took the app's time while one figure's samples were taken one at a time: its stop-the-world
 * collections and the share of the machine its JIT compilers used. A p99 of 50 samples is their slowest; next to
 * these it tells whether that sample waited for a collection or for code still being compiled, or for neither
 * (docs/benchmarks.md, session 36). Both are read before the first and after the last sample, never between
 * samples, so that reading them costs the samples nothing. Micrometer hears of a collection a moment after it
 * ended, so one during the last sample may be counted with the next figure instead.
 *
 * @param pauses       the collections in between; empty when the actuator did not answer
 * @param compilersPct the C1 and C2 compiler threads' share of the machine (every core busy = 100); empty off Linux
 */
public record WhileSampled(Optional<GcPauses> pauses, OptionalDouble compilersPct) {

    /** Starts watching the app behind {@code api}, whose process is {@code appPid}. */
    public static Watch watch(ApiClient api, long appPid) {
        return new Watch(api, appPid);
    }

    /** A watch begun before the first sample. */
    public static final class Watch {
        private final ApiClient api;
        private final OptionalLong appPid;
        private final Optional<GcPauses> pausesBefore;
        private final Optional<CpuSnapshot> cpuBefore;

        private Watch(ApiClient api, long appPid) {
            this.api = api;
            this.appPid = OptionalLong.of(appPid);
            this.pausesBefore = GcPauses.take(api);
            this.cpuBefore = CpuSnapshot.take(this.appPid);
        }

        /** What happened since the watch began; call after the last sample. */
        public WhileSampled end() {
            Optional<CpuSnapshot> cpuAfter = CpuSnapshot.take(appPid);
            Optional<GcPauses> pausesAfter = GcPauses.take(api);
            Optional<GcPauses> pauses = pausesBefore.flatMap(before -> pausesAfter.map(after -> after.since(before)));
            return new WhileSampled(pauses, CpuUsage.compilersPctBetween(cpuBefore, cpuAfter));
        }
    }
}
