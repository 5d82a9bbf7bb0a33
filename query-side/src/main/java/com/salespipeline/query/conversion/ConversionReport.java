package com.salespipeline.query.conversion;

import java.time.Instant;
import java.util.List;

/** Conversion rates per group: one group named {@code all} when not grouped. */
public record ConversionReport(Instant asOf, String groupBy, List<Group> groups) {

    public record Group(String group, List<Ratio> transitions, Ratio leadToCustomer, Ratio winRate) {
    }
}
