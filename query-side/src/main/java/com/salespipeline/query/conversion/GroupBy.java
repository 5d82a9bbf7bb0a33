package com.salespipeline.query.conversion;

import com.salespipeline.query.lifecycle.Cohort;
import com.salespipeline.query.lifecycle.ReportPlanner;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What conversion rates can be grouped by, with the read-model expression of each group's name. */
public enum GroupBy {
    SOURCE("source", "source", ReportPlanner.Grouping.SOURCE),
    CAMPAIGN("campaign", "campaign", ReportPlanner.Grouping.CAMPAIGN),
    /** The owner as of the report's asOf. */
    OWNER("owner", null, ReportPlanner.Grouping.OWNER),
    /** The UTC month of capture, {@code YYYY-MM}. */
    COHORT_MONTH("cohortMonth", "captured_month", ReportPlanner.Grouping.COHORT_MONTH);

    private final String parameter;
    private final String column;
    private final ReportPlanner.Grouping grouping;

    GroupBy(String parameter, String column, ReportPlanner.Grouping grouping) {
        this.parameter = parameter;
        this.column = column;
        this.grouping = grouping;
    }

    /** The same grouping in the report aggregates' keys. */
    ReportPlanner.Grouping grouping() {
        return grouping;
    }

    public String parameter() {
        return parameter;
    }

    /** The group's name of contact row {@code c}. */
    String ofContact() {
        return column == null ? Cohort.OWNER_AS_OF : "c." + column;
    }

    /** The group's name of opportunity row {@code o}, with the owner period at asOf joined as {@code op}. */
    String ofOpportunity() {
        return column == null ? "op.owner" : "o." + column;
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
