package com.salespipeline.query.lifecycle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Instants as the read model keeps them: microsecond precision (what both H2 and PostgreSQL store),
 * bound as {@link OffsetDateTime} in UTC, which both drivers accept.
 */
public final class Timestamps {

    /** A month of capture as the read model keeps it ({@code captured_month}): {@code YYYY-MM}, UTC. */
    public static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static Instant floorMicros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** The first microsecond at or after the instant: {@code x >= ceil(t)} iff {@code x >= t} for stored x. */
    public static Instant ceilMicros(Instant instant) {
        Instant floor = floorMicros(instant);
        return floor.equals(instant) ? floor : floor.plus(1, ChronoUnit.MICROS);
    }

    public static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    public static OffsetDateTime toDb(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant fromDb(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static Instant fromDb(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
