package com.salespipeline.query.lifecycle;

import com.salespipeline.events.LeadSource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Which contacts a report looks at and when: the cohort captured in {@code [from, to)} (either end open
 * when null; empty when they are equal), narrowed by source, campaign and owner (the owner as of
 * {@code asOf}); only what happened at or before {@code asOf} counts. {@code only}, when set, narrows the
 * cohort further to those contacts: the planner's way to count a few contacts twice, at two times.
 */
public record ReportFilter(Instant from, Instant to, Instant asOf, LeadSource source, String campaign,
                           String owner, List<UUID> only) {

    public ReportFilter {
        Objects.requireNonNull(asOf, "asOf");
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from");
        }
    }

    public ReportFilter(Instant from, Instant to, Instant asOf, LeadSource source, String campaign, String owner) {
        this(from, to, asOf, source, campaign, owner, null);
    }

    public static ReportFilter asOf(Instant asOf) {
        return new ReportFilter(null, null, asOf, null, null, null);
    }

    /** This filter as of another time, for {@code contacts} only. */
    ReportFilter at(Instant otherAsOf, List<UUID> contacts) {
        return new ReportFilter(from, to, otherAsOf, source, campaign, owner, List.copyOf(contacts));
    }
}
