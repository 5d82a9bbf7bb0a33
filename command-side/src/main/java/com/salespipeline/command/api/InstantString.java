package com.salespipeline.command.api;

import java.time.Instant;

/**
 * Instants as api.md gives them: ISO-8601 strings ({@code Z} or an offset). Jackson would read a number, even a
 * quoted one, as epoch seconds, which a client that sent milliseconds would find refused as in the future, some
 * fifty thousand years ahead, for a reason it could not see.
 */
final class InstantString extends TextValue<Instant> {

    InstantString() {
        super(Instant.class);
    }

    @Override
    Instant parse(String text) {
        return Instant.parse(text);
    }

    @Override
    String format() {
        return "an ISO-8601 instant such as \"2024-05-01T00:00:00Z\"";
    }
}
