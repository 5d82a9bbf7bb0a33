package com.salespipeline.command.audit;

import com.salespipeline.common.web.CsvPreference;
import com.salespipeline.common.web.Problems;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Audit: a contact's complete history from the event store, and the verification of its hash chain. */
@RestController
class HistoryController {

    /** With its charset, as the reports' CSV: text/csv without one is US-ASCII (RFC 4180), "Zoë" read garbled. */
    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final HistoryReader reader;

    HistoryController(HistoryReader reader) {
        this.reader = reader;
    }

    /** JSON, or CSV for a client that prefers it (as the reports decide: JSON on a tie). */
    @GetMapping(path = "/api/contacts/{id}/history", produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    ResponseEntity<?> history(@PathVariable String id,
                              @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        UUID contactId = contactId(id);
        if (contactId == null) {
            return notFound(id);
        }
        boolean csv = CsvPreference.preferred(accept);
        return reader.history(contactId)
                .<ResponseEntity<?>>map(history -> csv
                        ? ResponseEntity.ok().contentType(CSV).body(HistoryCsv.of(history))
                        : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(history))
                .orElseGet(() -> notFound(id));
    }

    @GetMapping(path = "/api/contacts/{id}/history/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> verify(@PathVariable String id) {
        UUID contactId = contactId(id);
        return contactId == null ? notFound(id) : reader.verify(contactId)
                .<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> notFound(id));
    }

    private static UUID contactId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ResponseEntity<?> notFound(String id) {
        ProblemDetail problem = Problems.of(HttpStatus.NOT_FOUND, "contact-not-found", "Unknown contact",
                "no event is stored for contact '" + id + "'");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

}
