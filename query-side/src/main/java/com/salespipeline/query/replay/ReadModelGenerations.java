package com.salespipeline.query.replay;

import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which of the two generations of read-model tables serves reports and live projection ({@code a}: the
 * unsuffixed tables, {@code b}: the {@code _b} tables). A replay builds the other generation on its own
 * thread and then switches; the choice is stored, so a restart keeps serving the generation last switched to.
 */
public class ReadModelGenerations {

    private static final Pattern TABLES = Pattern.compile("\\bread_(contact|stage_visit|owner_period|opportunity|cohort_count|cohort_month_change|duration_bucket|duration_period|duration_captured|report_watermark)\\b");

    private final JdbcTemplate jdbc;
    private final ThreadLocal<String> override = new ThreadLocal<>();
    private volatile String active;

    public ReadModelGenerations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.active = jdbc.queryForObject("SELECT active FROM read_model_generation WHERE id = 1", String.class);
    }

    public String active() {
        return active;
    }

    public String inactive() {
        return "a".equals(active) ? "b" : "a";
    }

    /** Runs work with every read-model statement of this thread going to {@code generation}. */
    public <T> T on(String generation, Supplier<T> work) {
        String before = override.get();
        override.set(generation);
        try {
            return work.get();
        } finally {
            if (before == null) {
                override.remove();
            } else {
                override.set(before);
            }
        }
    }

    /** Makes {@code generation} the one that serves; stored in the caller's transaction, if any. */
    public void activate(String generation) {
        jdbc.update("UPDATE read_model_generation SET active = ? WHERE id = 1", generation);
        active = generation;
    }

    /** The statement with its read-model table names pointing at this thread's generation. */
    String route(String sql) {
        return route(sql, override.get() != null ? override.get() : active);
    }

    /** The statement with its read-model table names pointing at {@code generation}, whatever this thread's. */
    static String route(String sql, String generation) {
        if ("a".equals(generation) || sql == null) {
            return sql;
        }
        Matcher matcher = TABLES.matcher(sql);
        return matcher.find() ? matcher.replaceAll("read_$1_" + generation) : sql;
    }
}
