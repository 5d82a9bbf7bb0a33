package com.salespipeline.query.web;

import java.math.BigDecimal;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** RFC 4180 text: a header row, then one row per record; null as an empty field. */
public final class Csv {

    public static final MediaType TEXT_CSV = new MediaType("text", "csv");
    /** What a report is written as, for its mapping's {@code produces}: an Accept naming neither is a 406. */
    public static final String JSON = MediaType.APPLICATION_JSON_VALUE;
    public static final String CSV = "text/csv";

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

    /**
     * A report as JSON, labelled {@code application/json} whatever the Accept header also allows: Spring would
     * otherwise label it with the most preferred type its JSON writer takes, {@code application/problem+json} too.
     */
    public static ResponseEntity<Object> json(Object report) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report);
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
}
