package com.salespipeline.common.web;

import java.util.List;
import org.springframework.http.MediaType;

/** Whether a client asks for CSV rather than JSON, where an endpoint answers both (the reports, a contact's history). */
public final class CsvPreference {

    private CsvPreference() {
    }

    /**
     * Whether the client prefers CSV to JSON by its Accept header. {@code text/*} counts for CSV unless
     * {@code text/csv} is named (the more specific range decides, RFC 9110): CSV is the only text a report is written
     * in, and answering such a client with JSON was a 406.
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
        double csv = -1;
        double anyText = -1;
        double other = -1;
        for (MediaType type : types) {
            if (type.getType().equals("text") && type.getSubtype().equals("csv")) {
                csv = Math.max(csv, type.getQualityValue());
            } else if (type.getType().equals("text") && type.isWildcardSubtype()) {
                anyText = Math.max(anyText, type.getQualityValue());
            } else if (type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.isWildcardType()
                    || type.equalsTypeAndSubtype(MediaType.APPLICATION_PROBLEM_JSON)) {
                other = Math.max(other, type.getQualityValue());
            }
        }
        if (csv < 0) {
            csv = anyText;
        }
        // JSON on a tie: it is the API's own format (api.md), CSV what a client asks for over it
        return csv > 0 && csv > other;
    }
}
