package com.salespipeline.query.web;

import com.salespipeline.events.LeadSource;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.Timestamps;
import java.time.Clock;
import java.time.Instant;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The parameters every report takes: {@code from}, {@code to}, {@code asOf}, {@code source}, {@code campaign}, {@code owner}. */
@Component
public class ReportParameters {

    private final Clock clock;

    public ReportParameters(ObjectProvider<Clock> clock) {
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * The report filter, asOf defaulting to now; problems are collected in {@code parameters}, and the
     * result is null when there were any.
     */
    public ReportFilter filter(Parameters parameters, ReportQuery query) {
        Instant fromInstant = parameters.instant("from", query.from());
        Instant toInstant = parameters.instant("to", query.to());
        Instant asOfInstant = parameters.instant("asOf", query.asOf());
        LeadSource leadSource = parameters.enumValue("source", query.source(), LeadSource.class);
        String campaign = parameters.name("campaign", query.campaign());
        String owner = parameters.name("owner", query.owner());
        // [from, to) with from = to is an empty cohort, a fair question; to before from is a mistake
        if (fromInstant != null && toInstant != null && toInstant.isBefore(fromInstant)) {
            parameters.reject("to", "must not be before from (" + fromInstant + ")");
        }
        if (!parameters.valid()) {
            return null;
        }
        return new ReportFilter(fromInstant, toInstant, asOfInstant == null ? Timestamps.floorMicros(clock.instant()) : asOfInstant,
                leadSource, campaign, owner);
    }
}
