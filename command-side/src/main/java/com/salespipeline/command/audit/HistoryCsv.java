package com.salespipeline.command.audit;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A contact's history as CSV (RFC 4180): one row per event, the payload as a JSON cell. */
final class HistoryCsv {

    private static final List<String> HEADER = List.of("sequence", "eventId", "type", "revision", "occurredAt",
            "recordedAt", "fromStage", "toStage", "actor", "correlationId", "reason", "hash", "payload");

    private HistoryCsv() {
    }

    static String of(ContactHistory history) {
        StringBuilder csv = new StringBuilder(row(HEADER.stream()));
        for (ContactHistory.Entry e : history.events()) {
            csv.append(row(Stream.of(String.valueOf(e.sequence()), e.eventId(), e.type(), String.valueOf(e.revision()),
                    e.occurredAt(), e.recordedAt(), e.fromStage(), e.toStage(), e.actor(), e.correlationId(),
                    e.reason(), e.hash(), e.payload().toString())));
        }
        return csv.toString();
    }

    private static String row(Stream<String> cells) {
        return cells.map(HistoryCsv::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
        return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
