package com.salespipeline.query.lifecycle;

import com.salespipeline.events.LeadSource;
import java.time.Instant;
import java.util.Objects;

/**
 * Which contacts a report looks at and when: the cohort captured in {@code [from, to)} (either end open
 * when null), narrowed by source, campaign and owner (the owner as of {@code asOf}); only what happened at
 * or before {@code asOf} counts.
 */
public record ReportFilter(Instant from, Instant to, Instant asOf, LeadSource source, String campaign,
                           String owner) {

    public ReportFilter {
        Objects.requireNonNull(asOf, "asOf");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    public static ReportFilter asOf(Instant asOf) {
        return new ReportFilter(null, null, asOf, null, null, null);
    }
}
