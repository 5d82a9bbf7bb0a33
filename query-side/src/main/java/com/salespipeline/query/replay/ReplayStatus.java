package com.salespipeline.query.replay;

import java.time.Instant;

/**
 * What a replay is doing: {@code RUNNING} while the inactive generation is rebuilt, {@code IDLE} otherwise.
 *
 * @param processed  events applied to the generation being built (or by the last replay)
 * @param total      events in the history when the replay started (an estimate from the source's head)
 * @param generation the generation serving reports
 * @param failure    why the last replay failed, if it did (the serving generation was left as it was)
 */
public record ReplayStatus(String state, long processed, long total, String generation, Instant startedAt,
                           Instant finishedAt, String failure) {
}
