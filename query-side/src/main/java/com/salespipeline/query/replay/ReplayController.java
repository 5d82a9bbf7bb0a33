package com.salespipeline.query.replay;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import com.salespipeline.common.web.Problems;

/** Rebuilding the read models from the full history (role ADMIN). */
@RestController
class ReplayController {

    private final ReplayService replays;

    ReplayController(ReplayService replays) {
        this.replays = replays;
    }

    /**
     * Produces JSON: an Accept that refuses it is a 406 before anything starts (it started a replay and then answered
     * 406). The problems name their own type, which Spring would otherwise take from this mapping's.
     */
    @PostMapping(path = "/api/admin/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> start() {
        boolean started;
        try {
            started = replays.start();
        } catch (IllegalStateException noHistory) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "no-event-history", "No event history",
                            noHistory.getMessage()));
        } catch (HistoryUnavailable unavailable) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "30")
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "event-history-unavailable",
                            "Event history unavailable", unavailable.getMessage()));
        }
        if (!started) {
            return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(Problems.of(HttpStatus.CONFLICT, "replay-running", "Replay running",
                            "a replay is already running; GET /api/admin/replay shows its progress"));
        }
        return ResponseEntity.accepted().contentType(MediaType.APPLICATION_JSON).body(replays.status());
    }

    @GetMapping(path = "/api/admin/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    ReplayStatus status() {
        return replays.status();
    }
}
