package com.salespipeline.query.lifecycle;

import com.salespipeline.events.Stage;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The counts of one row of {@code read_cohort_count}, or a sum of rows, or a change to one: contacts, per
 * stage how many stand in it, per funnel stage how many reached (cumulative) and entered (strict) it, the
 * sum of the current stage's start per funnel stage, and closed opportunities won and lost. Mutable, for
 * adding up; the arrays are indexed by {@link Stage#ordinal()}.
 */
public final class CohortCounts {

    private static final int FUNNEL = Stages.FUNNEL.size();

    /** The count columns, in the order of {@link #values()}. */
    static final List<String> COLUMNS = columns();

    long contacts;
    final long[] current = new long[Stage.values().length];
    /** MQL and later: reached[LEAD] is {@link #contacts}. */
    final long[] reached = new long[FUNNEL];
    final long[] entered = new long[FUNNEL];
    final BigDecimal[] openMicros = new BigDecimal[FUNNEL];
    long won;
    long lost;

    CohortCounts() {
        Arrays.fill(openMicros, BigDecimal.ZERO);
    }

    private static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("contacts"));
        for (Stage stage : Stage.values()) {
            columns.add("current_" + name(stage));
        }
        for (Stage stage : Stages.FUNNEL.subList(1, FUNNEL)) {
            columns.add("reached_" + name(stage));
        }
        for (Stage stage : Stages.FUNNEL.subList(1, FUNNEL)) {
            columns.add("entered_" + name(stage));
        }
        for (Stage stage : Stages.FUNNEL) {
            columns.add("open_" + name(stage) + "_micros");
        }
        columns.add("won");
        columns.add("lost");
        return List.copyOf(columns);
    }

    private static String name(Stage stage) {
        return stage.name().toLowerCase(Locale.ROOT);
    }

    /** The values for {@link #COLUMNS}, as bind parameters. */
    List<Object> values() {
        Object[] values = new Object[COLUMNS.size()];
        copyInto(values, 0);
        return Arrays.asList(values);
    }

    /** Puts the values for {@link #COLUMNS} into {@code row}, the first at {@code offset}. */
    void copyInto(Object[] row, int offset) {
        int i = offset;
        row[i++] = contacts;
        for (long count : current) {
            row[i++] = count;
        }
        for (int s = 1; s < FUNNEL; s++) {
            row[i++] = reached[s];
        }
        for (int s = 1; s < FUNNEL; s++) {
            row[i++] = entered[s];
        }
        for (BigDecimal micros : openMicros) {
            row[i++] = micros;
        }
        row[i++] = won;
        row[i] = lost;
    }

    /** Reads the columns {@code sum_<column>} of a row that adds up {@link #COLUMNS}. */
    static CohortCounts ofSums(ResultSet rs) throws SQLException {
        CohortCounts counts = new CohortCounts();
        int i = 0;
        counts.contacts = rs.getLong("sum_" + COLUMNS.get(i++));
        for (int s = 0; s < counts.current.length; s++) {
            counts.current[s] = rs.getLong("sum_" + COLUMNS.get(i++));
        }
        for (int s = 1; s < FUNNEL; s++) {
            counts.reached[s] = rs.getLong("sum_" + COLUMNS.get(i++));
        }
        for (int s = 1; s < FUNNEL; s++) {
            counts.entered[s] = rs.getLong("sum_" + COLUMNS.get(i++));
        }
        for (int s = 0; s < FUNNEL; s++) {
            BigDecimal sum = rs.getBigDecimal("sum_" + COLUMNS.get(i++));
            counts.openMicros[s] = sum == null ? BigDecimal.ZERO : sum;
        }
        counts.won = rs.getLong("sum_" + COLUMNS.get(i++));
        counts.lost = rs.getLong("sum_" + COLUMNS.get(i));
        counts.reached[0] = counts.contacts;
        counts.entered[0] = counts.contacts;
        return counts;
    }

    /** Adds {@code other} times {@code sign} (1 or -1) to these counts. */
    CohortCounts add(CohortCounts other, int sign) {
        contacts += sign * other.contacts;
        for (int s = 0; s < current.length; s++) {
            current[s] += sign * other.current[s];
        }
        for (int s = 0; s < FUNNEL; s++) {
            reached[s] += sign * other.reached[s];
            entered[s] += sign * other.entered[s];
            openMicros[s] = openMicros[s].add(sign < 0 ? other.openMicros[s].negate() : other.openMicros[s]);
        }
        won += sign * other.won;
        lost += sign * other.lost;
        return this;
    }

    /** Contacts in the cohort. */
    public long contacts() {
        return contacts;
    }

    /** Contacts standing in the stage. */
    public long current(Stage stage) {
        return current[stage.ordinal()];
    }

    /** Contacts that reached the funnel stage or a later one. */
    public long reached(Stage stage) {
        return reached[stage.funnelOrder()];
    }

    /** Contacts that entered the funnel stage itself. */
    public long entered(Stage stage) {
        return entered[stage.funnelOrder()];
    }

    /** The sum of the stage starts, in epoch microseconds, of the contacts standing in the funnel stage. */
    public BigDecimal openMicros(Stage stage) {
        return openMicros[stage.funnelOrder()];
    }

    public long won() {
        return won;
    }

    public long lost() {
        return lost;
    }
}
