package com.salespipeline.query.web;

import java.math.BigDecimal;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** RFC 4180 text: a header row, then one row per record; null as an empty field. */
public final class Csv {

    public static final MediaType TEXT_CSV = new MediaType("text", "csv");

    private final StringBuilder text = new StringBuilder();

    public Csv(String... header) {
        row((Object[]) header);
    }

    public Csv row(Object... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(field(fields[i]));
        }
        text.append("\r\n");
        return this;
    }

    public ResponseEntity<String> response() {
        return ResponseEntity.ok().contentType(new MediaType(TEXT_CSV, java.nio.charset.StandardCharsets.UTF_8))
                .body(text.toString());
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private static String field(Object value) {
        if (value == null) {
            return "";
        }
        // Double.toString writes an age of 270 days as 2.3328E7, which a spreadsheet may keep as text
        String s = value instanceof Double number && Double.isFinite(number)
                ? BigDecimal.valueOf(number).toPlainString() : value.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /**
     * Whether the client prefers CSV over JSON by its Accept header. {@code text/*} counts for CSV unless
     * {@code text/csv} is named (the more specific range decides, RFC 9110): CSV is the only text a report is written
     * in, and answering such a client with JSON was a 406.
     */
    public static boolean wanted(String accept) {
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
        return csv > 0 && csv >= other;
    }
}
