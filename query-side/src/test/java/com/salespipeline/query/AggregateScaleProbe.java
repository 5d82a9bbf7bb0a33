package com.salespipeline.query;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.contact.ContactQueries;
import com.salespipeline.query.conversion.ConversionQueries;
import com.salespipeline.query.conversion.GroupBy;
import com.salespipeline.query.duration.StageDurationQueries;
import com.salespipeline.query.funnel.FunnelMode;
import com.salespipeline.query.funnel.FunnelQueries;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.ReportPlanner;
import com.salespipeline.query.lifecycle.Stages;
import com.salespipeline.query.lifecycle.Timestamps;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: report latency over a large read model, on H2 (in memory) and embedded PostgreSQL. Loads the
 * lifecycle rows of {@code probe.aggregates} contacts with plain batched INSERTs (valid histories over 2024:
 * skipped MQLs, disqualifications, won and lost opportunities, advocates, owner changes), builds the report
 * aggregates with {@code ReportAggregates.rebuildFromRows()}, and times every report as of now (aggregates)
 * and as of a past instant (the changes before its day, and a scan of the contacts changed on it; from/to,
 * months of capture and durations scan).
 * {@code ./mvnw -o -pl query-side -am verify -Dtest=AggregateScaleProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -DargLine="-Dprobe.aggregates=1000000 -Xmx14g"} (optionally {@code -Dprobe.databases=h2} or
 * {@code postgresql}, {@code -Dprobe.pastRuns=1}, 0 to skip the scans); results appended to query-side/target/aggregate-probe.txt.
 */
@EnabledIfSystemProperty(named = "probe.aggregates", matches = "\\d+")
class AggregateScaleProbe {

    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);
    private static final int BATCH = 5_000;

    /** Each line as soon as it is measured: a probe of this size can die before surefire passes on its output. */
    private static PrintStream out;

    @Test
    void probe() throws Exception {
        int contacts = Integer.getInteger("probe.aggregates");
        out = new PrintStream(new FileOutputStream(System.getProperty("probe.out", "target/aggregate-probe.txt"), true),
                true, StandardCharsets.UTF_8);
        String databases = System.getProperty("probe.databases", "h2,postgresql");
        if (databases.contains("h2")) {
            JdbcDataSource h2 = new JdbcDataSource();
            // -Dprobe.h2.url=jdbc:h2:file:/tmp/probe/db for the standalone app's kind of database, under its heap
            h2.setURL(System.getProperty("probe.h2.url", "jdbc:h2:mem:probe-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
            h2.setUser("sa");
            run("H2", new ReadModelDatabase(pooled(h2)), contacts, false);
        }
        if (databases.contains("postgresql")) {
            try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("shared_buffers", "1GB").setServerConfig("work_mem", "64MB").start()) {
                run("PostgreSQL", new ReadModelDatabase(pooled(postgres.getPostgresDatabase(
                        Map.of("reWriteBatchedInserts", "true")))), contacts, true);
            }
        }
    }

    /** As the application has it: connections from a pool, not one opened per statement. */
    private static DataSource pooled(DataSource dataSource) {
        HikariDataSource pool = new HikariDataSource();
        pool.setDataSource(dataSource);
        pool.setMaximumPoolSize(4);
        return pool;
    }

    private static void run(String vendor, ReadModelDatabase db, int contacts, boolean postgres) throws Exception {
        long t0 = System.nanoTime();
        if (Boolean.getBoolean("probe.reuse") && db.jdbc.queryForObject("SELECT COUNT(*) FROM read_contact", Long.class) > 0) {
            // -Dprobe.reuse=true with a file database: the rows of an earlier run (the rebuild below replaces the aggregates)
            out.printf("%s: reusing the %d contacts there%n", vendor,
                    db.jdbc.queryForObject("SELECT COUNT(*) FROM read_contact", Long.class));
        } else {
            load(db, contacts);
            out.printf("%s: loaded %d contacts in %d s%n", vendor, contacts, (System.nanoTime() - t0) / 1_000_000_000);
        }
        if (postgres) {
            // what autovacuum does after a load: statistics for the planner, the visibility map for index-only scans
            try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE");
            }
        }
        t0 = System.nanoTime();
        // -Dprobe.rebuild=false with -Dprobe.reuse=true: the aggregates an earlier run committed
        if (Boolean.parseBoolean(System.getProperty("probe.rebuild", "true"))) {
            db.rebuildAggregates(100_000);
        }
        if (postgres) {
            try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE read_cohort_count");
                s.execute("VACUUM ANALYZE read_duration_bucket");
            }
        }
        out.printf("%s: rebuildFromRows in %d ms; %d cohort count rows, %d duration buckets, %d per day of capture%n",
                vendor, (System.nanoTime() - t0) / 1_000_000,
                db.jdbc.queryForObject("SELECT COUNT(*) FROM read_cohort_count", Long.class),
                db.jdbc.queryForObject("SELECT COUNT(*) FROM read_duration_bucket", Long.class),
                db.jdbc.queryForObject("SELECT COUNT(*) FROM read_duration_captured", Long.class));

        FunnelQueries funnel = new FunnelQueries(db.named);
        ConversionQueries conversion = new ConversionQueries(db.named);
        StageDurationQueries durations = new StageDurationQueries(db.named, db.transactions);
        StageDurationQueries scanning = new StageDurationQueries(db.named, db.transactions,
                ReportPlanner.scanning(db.named));
        Instant from = Instant.parse("2024-03-01T12:00:00Z");
        Instant to = Instant.parse("2024-09-15T06:30:00Z");
        // mid-afternoon: a past asOf scans the contacts changed on its day up to it
        Instant past = Instant.parse("2024-10-01T15:00:00Z");
        // -Dprobe.only=past: the reports as of a past time only
        for (boolean now : "past".equals(System.getProperty("probe.only")) ? List.of(false) : List.of(true, false)) {
            // a new asOf for every run, as asOf=now has; H2 would otherwise hand back its previous result
            Supplier<Instant> at = now ? Instant::now : new Supplier<>() {
                private long n;

                @Override
                public Instant get() {
                    return past.plusMillis(n++);
                }
            };
            int runs = now ? 30 : Integer.getInteger("probe.pastRuns", 3);
            String when = now ? "now " : "past";
            time(vendor, when + " funnel", runs, () -> funnel.funnel(ReportFilter.asOf(at.get()), FunnelMode.CUMULATIVE));
            time(vendor, when + " funnel strict owner", runs, () -> funnel.funnel(
                    new ReportFilter(null, null, at.get(), null, null, "o7"), FunnelMode.STRICT));
            time(vendor, when + " funnel from/to source", runs, () -> funnel.funnel(
                    new ReportFilter(from, to, at.get(), LeadSource.WEB_FORM, null, null), FunnelMode.CUMULATIVE));
            time(vendor, when + " conversion", runs, () -> conversion.conversionRates(ReportFilter.asOf(at.get()), null));
            time(vendor, when + " conversion by owner", runs, () -> conversion.conversionRates(
                    ReportFilter.asOf(at.get()), GroupBy.OWNER));
            time(vendor, when + " conversion by campaign, owner", runs, () -> conversion.conversionRates(
                    new ReportFilter(null, null, at.get(), null, null, "o7"), GroupBy.CAMPAIGN));
            time(vendor, when + " conversion by month", runs, () -> conversion.conversionRates(
                    ReportFilter.asOf(at.get()), GroupBy.COHORT_MONTH));
            time(vendor, when + " conversion by month from/to", runs, () -> conversion.conversionRates(
                    new ReportFilter(from, to, at.get(), null, "c3", null), GroupBy.COHORT_MONTH));
            time(vendor, when + " durations", runs, () -> durations.stageDurations(ReportFilter.asOf(at.get())));
            time(vendor, when + " durations source", runs, () -> durations.stageDurations(
                    new ReportFilter(null, null, at.get(), LeadSource.AD, null, null)));
            time(vendor, when + " durations campaign, owner", runs, () -> durations.stageDurations(
                    new ReportFilter(null, null, at.get(), null, "c3", "o7")));
            // as of now from read_duration_captured; as of a past time a scan
            time(vendor, when + " durations from/to", now ? runs : Math.min(runs, 3), () -> durations.stageDurations(
                    new ReportFilter(from, to, at.get(), null, null, null)));
            if (!now) {
                ContactQueries list = new ContactQueries(db.named);
                time(vendor, "past contacts LEAD, first page", runs, () -> list.listAsOf(Stage.LEAD,
                        ReportFilter.asOf(at.get()), 0, 50));
                time(vendor, "past contacts CUSTOMER, first page", runs, () -> list.listAsOf(Stage.CUSTOMER,
                        ReportFilter.asOf(at.get()), 0, 50));
                time(vendor, "past contacts LEAD of o7, page 100", runs, () -> list.listAsOf(Stage.LEAD,
                        new ReportFilter(null, null, at.get(), null, null, "o7"), 100, 50));
            }
            if (now) {
                ContactQueries list = new ContactQueries(db.named);
                time(vendor, "now  contacts LEAD, first page", runs, () -> list.list(Stage.LEAD, null, null, null, 0, 50));
                time(vendor, "now  contacts LEAD, page 100", runs, () -> list.list(Stage.LEAD, null, null, null, 100, 50));
                time(vendor, "now  contacts LEAD of o7, first page", runs, () -> list.list(Stage.LEAD, "o7", null, null,
                        0, 50));
                // a narrow range: the walk inside a coarse bucket reads visits of every capture, a scan only the range's
                for (Duration width : List.of(Duration.ofDays(1), Duration.ofDays(7))) {
                    time(vendor, "now  durations from/to " + width.toDays() + " d", runs, () -> durations.stageDurations(
                            new ReportFilter(from, from.plus(width), at.get(), null, null, null)));
                    time(vendor, "now  durations from/to " + width.toDays() + " d (scan)", Math.min(runs, 5),
                            () -> scanning.stageDurations(new ReportFilter(from, from.plus(width), at.get(), null, null, null)));
                }
            }
        }
    }

    private static void time(String vendor, String what, int runs, Supplier<?> report) {
        if (runs == 0) {
            return;
        }
        report.get();
        long[] millis = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            report.get();
            millis[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(millis);
        out.printf("%-10s %-38s runs %3d  median %6d ms  max %6d ms%n", vendor, what, runs, millis[runs / 2],
                millis[runs - 1]);
    }

    // ---- loading

    static void load(ReadModelDatabase db, int contacts) throws Exception {
        Random r = new Random(1);
        String funnelColumns = String.join(", ", Stages.FUNNEL.subList(1, 6).stream()
                .map(s -> Stages.enteredColumn(s) + ", " + Stages.reachedColumn(s)).toList());
        try (Connection c = db.dataSource.getConnection();
             PreparedStatement contact = c.prepareStatement("INSERT INTO read_contact (contact_id, version, name, email,"
                     + " company, source, campaign, owner, owner_since, stage, stage_entered_at, stage_entered_micros,"
                     + " captured_at, captured_month, last_occurred_at, " + funnelColumns + ") VALUES ("
                     + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + ", ?".repeat(10) + ")");
             PreparedStatement visit = c.prepareStatement("INSERT INTO read_stage_visit (contact_id, entered_seq, stage,"
                     + " entered_at, entered_micros, left_at, duration_micros, captured_at, captured_month, source, campaign)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement owner = c.prepareStatement("INSERT INTO read_owner_period (contact_id, from_seq, owner,"
                     + " valid_from, valid_to) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement opportunity = c.prepareStatement("INSERT INTO read_opportunity (contact_id, opportunity_id,"
                     + " upsell, opened_at, closed_at, outcome, captured_at, captured_month, source, campaign)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < contacts; i++) {
                addContact(r, contact, visit, owner, opportunity);
                if ((i + 1) % BATCH == 0 || i == contacts - 1) {
                    for (PreparedStatement statement : List.of(contact, visit, owner, opportunity)) {
                        statement.executeBatch();
                    }
                    c.commit();
                }
            }
        }
    }

    private static void addContact(Random r, PreparedStatement contact, PreparedStatement visit, PreparedStatement owner,
                                   PreparedStatement opportunity) throws Exception {
        UUID id = UUID.randomUUID();
        Instant captured = BASE.plus(Duration.ofSeconds(r.nextInt(365 * 86_400))).plusNanos(r.nextInt(1_000_000) * 1_000L);
        String source = LeadSource.values()[r.nextInt(10)].name();
        String campaign = r.nextInt(10) == 0 ? null : "c" + r.nextInt(20);
        String firstOwner = r.nextInt(20) == 0 ? null : "o" + r.nextInt(50);
        List<Stage> path = new ArrayList<>(List.of(Stage.LEAD));
        int depth = r.nextInt(6);
        boolean skipMql = r.nextInt(4) == 0;
        for (Stage next : List.of(Stage.MQL, Stage.PROSPECT, Stage.OPPORTUNITY)) {
            if (path.size() > depth || (path.size() > 1 && r.nextInt(8) == 0 && next != Stage.OPPORTUNITY)) {
                break;
            }
            if (next == Stage.OPPORTUNITY && r.nextInt(8) == 0 && path.get(path.size() - 1) == Stage.PROSPECT) {
                path.add(Stage.DISQUALIFIED);
                break;
            }
            if (next != Stage.MQL || !skipMql) {
                path.add(next);
            }
        }
        if (path.get(path.size() - 1) == Stage.OPPORTUNITY && depth > 3) {
            path.add(r.nextBoolean() ? Stage.CUSTOMER : Stage.LOST);
            if (path.get(path.size() - 1) == Stage.CUSTOMER && depth == 5) {
                path.add(Stage.ADVOCATE);
            }
        }
        List<Instant> entered = new ArrayList<>(List.of(captured));
        for (int v = 1; v < path.size(); v++) {
            entered.add(entered.get(v - 1).plusSeconds(r.nextInt(100_000)).plusNanos(r.nextInt(1_000_000) * 1_000L));
        }
        Instant last = entered.get(entered.size() - 1);
        Instant ownerChange = r.nextInt(10) == 0 ? last.plusSeconds(r.nextInt(50_000)) : null;
        String currentOwner = ownerChange == null ? firstOwner : "o" + r.nextInt(50);
        String month = MONTH.format(captured);

        int p = 1;
        contact.setObject(p++, id);
        contact.setLong(p++, path.size() + (ownerChange == null ? 0 : 1));
        contact.setString(p++, "Ada " + id);
        contact.setString(p++, id + "@example.com");
        contact.setString(p++, "Acme");
        contact.setString(p++, source);
        contact.setString(p++, campaign);
        contact.setString(p++, currentOwner);
        contact.setObject(p++, Timestamps.toDb(ownerChange == null ? captured : ownerChange));
        contact.setString(p++, path.get(path.size() - 1).name());
        contact.setObject(p++, Timestamps.toDb(last));
        contact.setLong(p++, Timestamps.epochMicros(last));
        contact.setObject(p++, Timestamps.toDb(captured));
        contact.setString(p++, month);
        contact.setObject(p++, Timestamps.toDb(ownerChange == null ? last : ownerChange));
        for (Stage stage : Stages.FUNNEL.subList(1, 6)) {
            int first = path.indexOf(stage);
            Instant reached = null;
            for (int v = 0; v < path.size() && reached == null; v++) {
                if (path.get(v).isFunnelStage() && path.get(v).funnelOrder() >= stage.funnelOrder()) {
                    reached = entered.get(v);
                }
            }
            contact.setObject(p++, Timestamps.toDb(first < 0 ? null : entered.get(first)));
            contact.setObject(p++, Timestamps.toDb(reached));
        }
        contact.addBatch();

        for (int v = 0; v < path.size(); v++) {
            Instant left = v + 1 < path.size() ? entered.get(v + 1) : null;
            visit.setObject(1, id);
            visit.setLong(2, v);
            visit.setString(3, path.get(v).name());
            visit.setObject(4, Timestamps.toDb(entered.get(v)));
            visit.setLong(5, Timestamps.epochMicros(entered.get(v)));
            visit.setObject(6, Timestamps.toDb(left));
            visit.setObject(7, left == null ? null : Timestamps.epochMicros(left) - Timestamps.epochMicros(entered.get(v)));
            visit.setObject(8, Timestamps.toDb(captured));
            visit.setString(9, month);
            visit.setString(10, source);
            visit.setString(11, campaign);
            visit.addBatch();
        }

        owner.setObject(1, id);
        owner.setLong(2, 0);
        owner.setString(3, firstOwner);
        owner.setObject(4, Timestamps.toDb(captured));
        owner.setObject(5, Timestamps.toDb(ownerChange));
        owner.addBatch();
        if (ownerChange != null) {
            owner.setObject(1, id);
            owner.setLong(2, path.size());
            owner.setString(3, currentOwner);
            owner.setObject(4, Timestamps.toDb(ownerChange));
            owner.setObject(5, null);
            owner.addBatch();
        }

        int converted = path.indexOf(Stage.OPPORTUNITY);
        if (converted >= 0) {
            Instant closed = converted + 1 < path.size() ? entered.get(converted + 1) : null;
            opportunity.setObject(1, id);
            opportunity.setObject(2, UUID.randomUUID());
            opportunity.setBoolean(3, false);
            opportunity.setObject(4, Timestamps.toDb(entered.get(converted)));
            opportunity.setObject(5, Timestamps.toDb(closed));
            opportunity.setString(6, closed == null ? null : path.get(converted + 1) == Stage.CUSTOMER ? "WON" : "LOST");
            opportunity.setObject(7, Timestamps.toDb(captured));
            opportunity.setString(8, month);
            opportunity.setString(9, source);
            opportunity.setString(10, campaign);
            opportunity.addBatch();
        }
    }
}
