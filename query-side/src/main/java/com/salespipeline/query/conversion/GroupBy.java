package com.salespipeline.query.conversion;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What conversion rates can be grouped by, with the read-model expression of each group's name. */
public enum GroupBy {
    SOURCE("source", "c.source", false),
    CAMPAIGN("campaign", "c.campaign", false),
    /** The owner as of the report's asOf. */
    OWNER("owner", "op.owner", true),
    /** The UTC month of capture, {@code YYYY-MM}. */
    COHORT_MONTH("cohortMonth", "c.captured_month", false);

    private final String parameter;
    private final String sql;
    private final boolean needsOwner;

    GroupBy(String parameter, String sql, boolean needsOwner) {
        this.parameter = parameter;
        this.sql = sql;
        this.needsOwner = needsOwner;
    }

    public String parameter() {
        return parameter;
    }

    String sql() {
        return sql;
    }

    boolean needsOwner() {
        return needsOwner;
    }

    public static Optional<GroupBy> fromParameter(String value) {
        return Arrays.stream(values()).filter(g -> g.parameter.equalsIgnoreCase(value)).findFirst();
    }

    public static List<String> parameters() {
        return Arrays.stream(values()).map(GroupBy::parameter).toList();
    }
}
