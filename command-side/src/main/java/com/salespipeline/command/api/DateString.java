package com.salespipeline.command.api;

import java.time.LocalDate;

/** Dates as api.md gives them: {@code "2024-05-01"}; Jackson would cut a date-time to its date, dropping the time. */
final class DateString extends TextValue<LocalDate> {

    DateString() {
        super(LocalDate.class);
    }

    @Override
    LocalDate parse(String text) {
        return LocalDate.parse(text);
    }

    @Override
    String format() {
        return "an ISO-8601 date such as \"2024-05-01\"";
    }
}
