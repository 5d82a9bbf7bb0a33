package com.salespipeline.query.conversion;

import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.Cohort;
import com.salespipeline.query.lifecycle.CohortCounts;
import com.salespipeline.query.lifecycle.ReportPlanner;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.Stages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.salespipeline.query.replay.ReadModelJdbcConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Service;

/**
 * Conversion rates: per group, how many cohort contacts reached each funnel stage (cumulative) by asOf,
 * and the won and lost opportunities closed by asOf. From the report aggregates when they answer the
 * question (see {@link ReportPlanner}), else from one pass over the contact rows and one over the
 * opportunities.
 */
@Service
public class ConversionQueries {

    public static final String ALL = "all";

    private final NamedParameterJdbcTemplate jdbc;
    private final ReportPlanner planner;

    /** Over a plain data source, with transactions of its own. */
    public ConversionQueries(NamedParameterJdbcTemplate jdbc) {
        this(jdbc, new ReportPlanner(jdbc, new JdbcTransactionManager(jdbc.getJdbcTemplate().getDataSource())));
    }

    @Autowired
    public ConversionQueries(@Qualifier(ReadModelJdbcConfiguration.READ_MODEL) NamedParameterJdbcTemplate jdbc,
                             ReportPlanner planner) {
        this.jdbc = jdbc;
        this.planner = planner;
    }

    /** @param groupBy null for one group named {@value #ALL} */
    public ConversionReport conversionRates(ReportFilter filter, GroupBy groupBy) {
        Map<String, long[]> reached = new HashMap<>();
        Map<String, long[]> closed = new HashMap<>();
        // a scan reads the contacts and the opportunities: in one snapshot, like the aggregates and their partials
        planner.inSnapshot(() -> count(filter, groupBy, reached, closed));
        if (groupBy != null) {
            // a group whose last contacts a correction took away (they changed owner on asOf's day) is no group
            reached.values().removeIf(counts -> counts[Stage.LEAD.ordinal()] == 0);
        }

        List<String> names = new ArrayList<>(reached.keySet());
        names.sort(Comparator.nullsLast(Comparator.naturalOrder()));
        List<ConversionReport.Group> groups = new ArrayList<>();
        for (String name : names) {
            groups.add(group(name, reached.get(name), closed.getOrDefault(name, new long[2])));
        }
        return new ConversionReport(filter.asOf(), groupBy == null ? null : groupBy.parameter(), groups);
    }

    /** Adds the cohort's reached stages and closed opportunities per group: from the aggregates, else scanned. */
    private void count(ReportFilter filter, GroupBy groupBy, Map<String, long[]> reached, Map<String, long[]> closed) {
        boolean fromAggregates = planner.fromAggregates(filter, false, groupBy == GroupBy.COHORT_MONTH, plan -> {
            Map<String, CohortCounts> groups = groupBy == null ? Map.of(ALL, planner.total(plan))
                    : planner.grouped(plan, groupBy.grouping());
            groups.forEach((name, counts) -> {
                long[] stages = new long[Stages.FUNNEL.size()];
                for (Stage stage : Stages.FUNNEL) {
                    stages[stage.ordinal()] = counts.reached(stage);
                }
                add(reached, name, stages, 1);
                add(closed, name, new long[] {counts.won(), counts.won() + counts.lost()}, 1);
            });
            plan.partials().forEach(partial -> scan(partial.filter(), partial.sign(), groupBy, reached, closed));
            return true;
        }).isPresent();
        if (!fromAggregates) {
            scan(filter, 1, groupBy, reached, closed);
        }
    }

    private static void add(Map<String, long[]> counts, String group, long[] more, int sign) {
        long[] sum = counts.computeIfAbsent(group, g -> new long[more.length]);
        for (int i = 0; i < more.length; i++) {
            sum[i] += sign * more[i];
        }
    }

    /**
     * Adds {@code sign} times the cohort's reached stages and closed opportunities per group, scanned from
     * their rows.
     */
    private void scan(ReportFilter filter, int sign, GroupBy groupBy, Map<String, long[]> reached,
                      Map<String, long[]> closed) {
        Cohort cohort = Cohort.contacts(filter);
        StringBuilder perContact = new StringBuilder("SELECT ")
                .append(groupBy == null ? "'" + ALL + "'" : groupBy.ofContact()).append(" AS grp");
        StringBuilder sums = new StringBuilder();
        for (Stage stage : Stages.FUNNEL) {
            perContact.append(", CASE WHEN c.").append(Stages.reachedColumn(stage))
                    .append(" <= :asOf THEN 1 ELSE 0 END AS r").append(stage.ordinal());
            sums.append(", COALESCE(SUM(r").append(stage.ordinal()).append("), 0) AS reached_").append(stage.ordinal());
        }
        perContact.append(" FROM ").append(cohort.from()).append(" WHERE ").append(cohort.where());

        jdbc.query("SELECT " + (groupBy == null ? "'" + ALL + "'" : "grp") + " AS grp" + sums + " FROM (" + perContact
                + ") per_contact" + (groupBy == null ? "" : " GROUP BY grp"), cohort.params(), rs -> {
            long[] counts = new long[Stages.FUNNEL.size()];
            for (Stage stage : Stages.FUNNEL) {
                counts[stage.ordinal()] = rs.getLong("reached_" + stage.ordinal());
            }
            add(reached, rs.getString("grp"), counts, sign);
        });

        Cohort opportunities = Cohort.opportunities(filter, groupBy != null && groupBy.needsOwner());
        String opportunityGroup = groupBy == null ? "'" + ALL + "'" : groupBy.ofOpportunity();
        jdbc.query("SELECT " + opportunityGroup + " AS grp,"
                        + " COALESCE(SUM(CASE WHEN o.outcome = 'WON' THEN 1 ELSE 0 END), 0) AS won, COUNT(*) AS closed"
                        + " FROM " + opportunities.from() + " WHERE " + opportunities.where() + " AND "
                        + Cohort.notIndexed("o.closed_at") + " <= :asOf"
                        + (groupBy == null ? "" : " GROUP BY " + opportunityGroup), opportunities.params(),
                rs -> {
                    add(closed, rs.getString("grp"), new long[] {rs.getLong("won"), rs.getLong("closed")}, sign);
                });
    }

    /** @param reached per funnel stage, how many reached it; @param closed won and closed opportunities */
    static ConversionReport.Group group(String name, long[] reached, long[] closed) {
        List<Ratio> transitions = new ArrayList<>();
        for (int i = 0; i + 1 < Stages.FUNNEL.size(); i++) {
            transitions.add(Ratio.of(Stages.FUNNEL.get(i).name(), Stages.FUNNEL.get(i + 1).name(),
                    reached[i + 1], reached[i]));
        }
        Ratio leadToCustomer = Ratio.of(Stage.LEAD.name(), Stage.CUSTOMER.name(),
                reached[Stage.CUSTOMER.ordinal()], reached[Stage.LEAD.ordinal()]);
        return new ConversionReport.Group(name, transitions, leadToCustomer, Ratio.of(null, null, closed[0], closed[1]));
    }
}
