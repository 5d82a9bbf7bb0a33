package com.salespipeline.query.conversion;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What conversion rates can be grouped by, with the read-model expression of each group's name. */
public enum GroupBy {
    SOURCE("source", "source"),
    CAMPAIGN("campaign", "campaign"),
    /** The owner as of the report's asOf. */
    OWNER("owner", null),
    /** The UTC month of capture, {@code YYYY-MM}. */
    COHORT_MONTH("cohortMonth", "captured_month");

    private final String parameter;
    private final String column;

    GroupBy(String parameter, String column) {
        this.parameter = parameter;
        this.column = column;
    }

    public String parameter() {
        return parameter;
    }

    /** The group's name in a query over a lifecycle table with that alias. */
    String sql(String alias) {
        return column == null ? "op.owner" : alias + "." + column;
    }

    boolean needsOwner() {
        return column == null;
    }

    public static Optional<GroupBy> fromParameter(String value) {
        return Arrays.stream(values()).filter(g -> g.parameter.equalsIgnoreCase(value)).findFirst();
    }

    public static List<String> parameters() {
        return Arrays.stream(values()).map(GroupBy::parameter).toList();
    }
}
