package com.salespipeline.query.lifecycle;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * The SQL that selects a report's cohort from {@code read_contact c}: captured in {@code [from, to)} and
 * not after {@code asOf}, of the given source and campaign, and owned by the given owner as of
 * {@code asOf}. With {@code ownerAsOf}, alias {@code op} is the contact's owner period at {@code asOf}
 * (for filtering or grouping by owner); every query appends its own conditions to {@link #where()}.
 *
 * @param from   the FROM clause, starting with {@code read_contact c}
 * @param where  the WHERE conditions, without the keyword
 * @param params the named parameters, {@code asOf} among them
 */
public record Cohort(String from, String where, MapSqlParameterSource params) {

    public static Cohort of(ReportFilter filter, boolean ownerAsOf) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("asOf", Timestamps.toDb(Timestamps.floorMicros(filter.asOf())));
        StringBuilder where = new StringBuilder("c.captured_at <= :asOf");
        if (filter.from() != null) {
            where.append(" AND c.captured_at >= :from");
            params.addValue("from", Timestamps.toDb(Timestamps.ceilMicros(filter.from())));
        }
        if (filter.to() != null) {
            where.append(" AND c.captured_at < :to");
            params.addValue("to", Timestamps.toDb(Timestamps.ceilMicros(filter.to())));
        }
        if (filter.source() != null) {
            where.append(" AND c.source = :source");
            params.addValue("source", filter.source().name());
        }
        if (filter.campaign() != null) {
            where.append(" AND c.campaign = :campaign");
            params.addValue("campaign", filter.campaign());
        }
        String from = "read_contact c";
        if (ownerAsOf || filter.owner() != null) {
            from += " JOIN read_owner_period op ON op.contact_id = c.contact_id"
                    + " AND op.valid_from <= :asOf AND (op.valid_to IS NULL OR op.valid_to > :asOf)";
        }
        if (filter.owner() != null) {
            where.append(" AND op.owner = :owner");
            params.addValue("owner", filter.owner());
        }
        return new Cohort(from, where.toString(), params);
    }

    /** Joins the contacts' stage visits as {@code v}. */
    public String fromWithVisits() {
        return from + " JOIN read_stage_visit v ON v.contact_id = c.contact_id";
    }

    /** The visit {@code v} in which the contact stood at {@code asOf}. */
    public static final String VISIT_OPEN_AT_AS_OF =
            "v.entered_at <= :asOf AND (v.left_at IS NULL OR v.left_at > :asOf)";

    /** The visit {@code v} ended at or before {@code asOf}. */
    public static final String VISIT_COMPLETED_BY_AS_OF = "v.left_at <= :asOf";
}
