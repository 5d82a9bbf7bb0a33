package com.salespipeline.query.lifecycle;

import com.salespipeline.events.Stage;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * The SQL that selects a report's cohort: contacts captured in {@code [from, to)} and not after
 * {@code asOf}, of the given source and campaign, and owned by the given owner as of {@code asOf}.
 * It reads any lifecycle table that carries the contact's cohort attributes ({@code contact_id},
 * {@code captured_at}, {@code source}, {@code campaign}): contacts, visits or opportunities. Every query
 * appends its own conditions to {@link #where()}.
 *
 * <p>"As of" questions about a contact row ({@link #stageAsOf}, {@link #ownerAsOf}) read the row itself
 * when its stage or owner already held at asOf, and the history tables only for the contacts that changed
 * after asOf: for the usual asOf (now) a report is one scan of one table.
 *
 * @param from   the FROM clause
 * @param where  the WHERE conditions, without the keyword
 * @param params the named parameters, {@code asOf} among them
 */
public record Cohort(String from, String where, MapSqlParameterSource params) {

    /** The visit {@code v} in which the contact stood at {@code asOf}. */
    public static final String VISIT_OPEN_AT_AS_OF =
            "v.entered_at <= :asOf AND (v.left_at IS NULL OR v.left_at > :asOf)";

    /**
     * The visit {@code v} ended at or before {@code asOf}. An upper bound on a time usually holds for most rows,
     * so it is written so that no database takes it for a range of an index: COALESCE of the column with itself
     * is the column. Read through the index, most rows of a big table cost a lookup each (16 s for conversion
     * rates by month as of a past time at a million contacts on H2), against one pass over the table.
     */
    public static final String VISIT_COMPLETED_BY_AS_OF = notIndexed("v.left_at") + " <= :asOf";

    private static final String OWNER_PERIOD_AT_AS_OF =
            "op.valid_from <= :asOf AND (op.valid_to IS NULL OR op.valid_to > :asOf)";

    /**
     * @param table          {@code read_contact}, {@code read_stage_visit} or {@code read_opportunity}
     * @param alias          the table's alias in the query
     * @param joinOwnerAsOf  whether to join the contact's owner period at asOf as {@code op} (to group by
     *                       {@code op.owner} a table other than the contacts)
     */
    public static Cohort over(String table, String alias, ReportFilter filter, boolean joinOwnerAsOf) {
        return over(table, alias, filter, joinOwnerAsOf, filter.only() != null);
    }

    /**
     * @param ownerPerContact whether each contact the other conditions find looks up its own owner period, rather
     *                        than the owner's contacts coming from the owner index
     */
    private static Cohort over(String table, String alias, ReportFilter filter, boolean joinOwnerAsOf,
                               boolean ownerPerContact) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("asOf", Timestamps.toDb(Timestamps.floorMicros(filter.asOf())));
        String a = alias + ".";
        // Visits and opportunities are counted by conditions that imply a capture by asOf; stating it again
        // there would only lead H2 to walk the whole captured_at index instead of scanning the table.
        StringBuilder where = new StringBuilder(table.equals("read_contact")
                ? notIndexed(a + "captured_at") + " <= :asOf" : "1 = 1");
        // the owner's contacts come from the owner index, whichever table is counted; but a few named contacts
        // each look up their own owner period: given the owner's contacts as well, H2 read all of them (a
        // hundred thousand at a million contacts) for every few hundred named
        narrow(where, params, a, filter, ownerPerContact
                ? "EXISTS (SELECT 1 FROM read_owner_period op WHERE op.contact_id = " + a + "contact_id"
                + " AND op.owner = :owner AND " + OWNER_PERIOD_AT_AS_OF + ")"
                : a + "contact_id IN (SELECT op.contact_id FROM read_owner_period op"
                + " WHERE op.owner = :owner AND " + OWNER_PERIOD_AT_AS_OF + ")");
        String from = table + " " + alias;
        if (joinOwnerAsOf) {
            from += " JOIN read_owner_period op ON op.contact_id = " + a + "contact_id AND " + OWNER_PERIOD_AT_AS_OF;
        }
        return new Cohort(from, where.toString(), params);
    }

    /**
     * Appends the filter's range of capture, source, campaign, owner ({@code ownerCondition}, on {@code :owner})
     * and {@code only} as conditions on the table whose columns {@code a} prefixes.
     */
    private static void narrow(StringBuilder where, MapSqlParameterSource params, String a, ReportFilter filter,
                               String ownerCondition) {
        if (filter.from() != null) {
            where.append(" AND ").append(a).append("captured_at >= :from");
            params.addValue("from", Timestamps.toDb(Timestamps.ceilMicros(filter.from())));
        }
        if (filter.to() != null) {
            where.append(" AND ").append(a).append("captured_at < :to");
            params.addValue("to", Timestamps.toDb(Timestamps.ceilMicros(filter.to())));
        }
        if (filter.source() != null) {
            where.append(" AND ").append(a).append("source = :source");
            params.addValue("source", filter.source().name());
        }
        if (filter.campaign() != null) {
            where.append(" AND ").append(a).append("campaign = :campaign");
            params.addValue("campaign", filter.campaign());
        }
        if (filter.owner() != null) {
            where.append(" AND ").append(ownerCondition);
            params.addValue("owner", filter.owner());
        }
        if (filter.only() != null) {
            where.append(" AND ").append(a).append("contact_id IN (").append(constants(filter.only())).append(')');
        }
    }

    /**
     * The contacts as a list of constants, not of bind parameters: H2 tests every row it reads against a list of
     * parameters one at a time, against a list of constants as a set (stage durations as of a past mid-day at
     * 1,000,000 contacts: half its scans' time went to those comparisons; docs/benchmarks.md, session 20). A UUID's
     * text is hex digits and dashes only, so it needs no escaping. An empty list names no contact.
     */
    static String constants(List<UUID> contacts) {
        if (contacts.isEmpty()) {
            return "NULL";
        }
        return contacts.stream().map(contact -> "'" + Objects.requireNonNull(contact, "contact") + "'")
                .collect(Collectors.joining(", "));
    }

    /**
     * {@code column}, in a form the databases do not read through an index on it (see
     * {@link #VISIT_COMPLETED_BY_AS_OF}): for conditions that hold for most rows, such as an upper bound on a
     * time or the funnel stages, beside a narrower one that should pick the index.
     */
    public static String notIndexed(String column) {
        return "COALESCE(" + column + ", " + column + ")";
    }

    /**
     * The cohort's contacts {@code c} by their current source, campaign and owner, found through the indexes that
     * lead with those (one key, or a pair of them), and with {@code visits} each contact's stage visits {@code v}
     * joined by primary key. Only for an asOf at or after every change applied: then the owner as of asOf is
     * the current owner, every contact was captured by asOf, and a visit left by now was left by asOf.
     */
    public static Cohort currentContacts(ReportFilter filter, boolean visits) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("asOf", Timestamps.toDb(Timestamps.floorMicros(filter.asOf())));
        // true of every contact when asOf is at or after every change; kept so that a report read across a switch
        // of generations (its watermark from one, its rows from the other) cannot take in a later capture
        StringBuilder where = new StringBuilder(notIndexed("c.captured_at") + " <= :asOf");
        narrow(where, params, "c.", filter, "c.owner = :owner");
        String from = "read_contact c" + (visits ? " JOIN read_stage_visit v ON v.contact_id = c.contact_id" : "");
        return new Cohort(from, where.toString(), params);
    }

    /**
     * The cohort's contacts {@code c} of the filter's source and campaign, found through the index that leads with
     * that pair, and with each one's stage visits {@code v} joined by primary key, for any asOf. A contact's source
     * and campaign never change, so the pair finds the contacts as they stood at an earlier asOf too, which the
     * indexes on the current owner do not; the owner as of asOf is looked up for each contact found.
     */
    public static Cohort contactsOfSourceAndCampaign(ReportFilter filter) {
        if (filter.source() == null || filter.campaign() == null) {
            throw new IllegalArgumentException("the filter names no source and campaign: " + filter);
        }
        Cohort contacts = over("read_contact", "c", filter, false, true);
        return new Cohort(contacts.from() + " JOIN read_stage_visit v ON v.contact_id = c.contact_id",
                contacts.where(), contacts.params());
    }

    /**
     * The completed stage visits {@code v} of the filter's source and campaign, found through the index that leads
     * with that pair and holds each visit's stage, duration and end, for any asOf. The visits carry their contact's
     * source and campaign, which never change, so no contact row is read; hence no owner, and no range of capture,
     * which the index does not hold. Only completed visits: on PostgreSQL the index holds no other.
     */
    public static Cohort visitsOfSourceAndCampaign(ReportFilter filter) {
        if (filter.source() == null || filter.campaign() == null || filter.owner() != null || filter.from() != null
                || filter.to() != null || filter.only() != null) {
            throw new IllegalArgumentException("the filter names more or less than a source and campaign: " + filter);
        }
        Cohort visits = visits(filter);
        return new Cohort(visits.from(), visits.where() + " AND v.duration_micros IS NOT NULL", visits.params());
    }

    /**
     * Of the cohort of {@link #visitsOfSourceAndCampaign}, the visits of one stage: a range of the pair's index that
     * starts after the stage's open visits. H2 has no partial index, so its index on the pair holds the open visits
     * too (their duration null, first in the order), and the pair's visits of every stage at once are more than
     * twice as many entries as its completed ones (80.8K against 36.7K for the biggest pair at 1,000,000 contacts).
     */
    public Cohort ofStage(Stage stage) {
        MapSqlParameterSource ofStage = new MapSqlParameterSource(params.getValues())
                .addValue("stage", stage.name())
                .addValue("shortestDuration", Long.MIN_VALUE);
        return new Cohort(from, where + " AND v.stage = :stage AND v.duration_micros >= :shortestDuration", ofStage);
    }

    /** The cohort's contacts, {@code read_contact c}. */
    public static Cohort contacts(ReportFilter filter) {
        return over("read_contact", "c", filter, false);
    }

    /** The cohort's stage visits, {@code read_stage_visit v}: only with a condition on when they started or ended. */
    public static Cohort visits(ReportFilter filter) {
        return over("read_stage_visit", "v", filter, false);
    }

    /** The cohort's opportunities, {@code read_opportunity o}: only with a condition on when they opened or closed. */
    public static Cohort opportunities(ReportFilter filter, boolean joinOwnerAsOf) {
        return over("read_opportunity", "o", filter, joinOwnerAsOf);
    }

    /** The stage of contact row {@code c} at asOf (for contacts captured by asOf). */
    public static final String STAGE_AS_OF = "CASE WHEN c.stage_entered_at <= :asOf THEN c.stage"
            + " ELSE (SELECT v.stage FROM read_stage_visit v WHERE v.contact_id = c.contact_id AND "
            + VISIT_OPEN_AT_AS_OF + ") END";

    /** When contact row {@code c} entered its stage at asOf, in epoch microseconds. */
    public static final String STAGE_ENTERED_MICROS_AS_OF = "CASE WHEN c.stage_entered_at <= :asOf"
            + " THEN c.stage_entered_micros ELSE (SELECT v.entered_micros FROM read_stage_visit v"
            + " WHERE v.contact_id = c.contact_id AND " + VISIT_OPEN_AT_AS_OF + ") END";

    /** When contact row {@code c} entered its stage at asOf (for contacts captured by asOf). */
    public static final String STAGE_ENTERED_AT_AS_OF = "CASE WHEN c.stage_entered_at <= :asOf"
            + " THEN c.stage_entered_at ELSE (SELECT v.entered_at FROM read_stage_visit v"
            + " WHERE v.contact_id = c.contact_id AND " + VISIT_OPEN_AT_AS_OF + ") END";

    /** The owner of contact row {@code c} at asOf (for contacts captured by asOf). */
    public static final String OWNER_AS_OF = "CASE WHEN c.owner_since <= :asOf THEN c.owner"
            + " ELSE (SELECT op.owner FROM read_owner_period op WHERE op.contact_id = c.contact_id AND "
            + OWNER_PERIOD_AT_AS_OF + ") END";
}
