package com.salespipeline.common.web;

import java.util.List;
import org.springframework.http.MediaType;

/** Whether a client asks for CSV rather than JSON, where an endpoint answers both (the reports, a contact's history). */
public final class CsvPreference {

    private static final MediaType CSV = new MediaType("text", "csv");

    private CsvPreference() {
    }

    /**
     * Whether the client prefers CSV to JSON by its Accept header, each type given the quality of the most specific
     * range that matches it (RFC 9110): {@code text/*} counts for CSV unless {@code text/csv} is named (CSV is the
     * only text written here, and answering such a client with JSON was a 406), and {@code application/json;q=0, *}{@code /*}
     * refuses JSON.
     */
    public static boolean preferred(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            return false;
        }
        double csv = MediaRanges.quality(types, CSV);
        double json = MediaRanges.quality(types, MediaType.APPLICATION_JSON);
        // JSON on a tie: it is the API's own format (api.md), CSV what a client asks for over it
        return csv > 0 && csv > json;
    }
}
