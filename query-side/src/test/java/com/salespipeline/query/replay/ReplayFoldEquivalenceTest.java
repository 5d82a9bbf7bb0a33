package com.salespipeline.query.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.query.ReportPropertiesTest;
import com.salespipeline.query.ReportPropertiesTest.ContactSpec;
import com.salespipeline.query.lifecycle.ContactHistory;
import com.salespipeline.query.lifecycle.Envelope;
import com.salespipeline.query.lifecycle.FoldedRebuild;
import com.salespipeline.query.lifecycle.LifecycleProjection;
import com.salespipeline.query.lifecycle.ReportAggregates;
import com.salespipeline.query.lifecycle.Postgres;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import com.salespipeline.events.LeadSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bulk replay's fold against the live projection: random valid histories go through the live
 * projection, event by event, interleaved across contacts and with redeliveries, into generation a; and
 * through {@link LifecycleFold} and {@link ReadModelBulkWriter} into generation b, either whole or (as when a
 * bulk phase could not see a contact's last events) folded up to a random point and continued by the live
 * projection. Every table must then hold the same rows in both generations, column by column.
 */
class ReplayFoldEquivalenceTest {

    private static final ReadModelDatabase H2 = new ReadModelDatabase();

    @Property(tries = 150)
    void foldedRowsEqualTheLiveProjectionsOnH2(@ForAll("pipelines") List<ContactSpec> specs, @ForAll long seed) {
        check(H2, specs, seed);
    }

    @Property(tries = 25)
    void foldedRowsEqualTheLiveProjectionsOnPostgres(@ForAll("pipelines") List<ContactSpec> specs, @ForAll long seed) {
        check(Postgres.readModel(), specs, seed);
    }

    /** PostgreSQL's rows come by COPY in CSV: text that CSV must quote or escape arrives as it was. */
    @Example
    void freeTextArrivesAsItWasThroughTheCopyOnPostgres() {
        Instant at = Instant.parse("2024-05-01T08:00:00.123456Z");
        List<ContactHistory> contacts = new ArrayList<>();
        List<String> texts = List.of("O\"Brien, Jr.", "two\nlines\r\n", "back\\slash\\N", "", "\\.", "Zoë 東京 \t tab",
                ",", "\"\"");
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            contacts.add(ContactHistory.capture(UUID.randomUUID(), at.plusSeconds(i), text, text, text,
                    LeadSource.AD, text, text).mql(at.plusSeconds(60 + i)));
        }
        checkHistories(Postgres.readModel(), contacts, 3);
        assertThat(Postgres.readModel().jdbc.queryForList("SELECT company FROM read_contact_b ORDER BY captured_at",
                String.class)).containsExactlyElementsOf(texts);
    }

    /**
     * More than 64K characters of COPY with characters outside the basic plane (two halves each in Java): a copy fed
     * as characters split one at some 64K boundary; shifted by one character, the second round splits another.
     */
    @Example
    void textOutsideTheBasicPlaneArrivesAsItWasThroughALongCopyOnPostgres() {
        ReadModelDatabase db = Postgres.readModel();
        ReadModelGenerations generations = new ReadModelGenerations(db.jdbc);
        JdbcTemplate routed = new JdbcTemplate(new GenerationRoutingDataSource(db.dataSource, generations));
        Instant at = Instant.parse("2024-05-01T08:00:00Z");
        for (String shift : List.of("", "x")) {
            clear(db);
            List<ContactRows> folded = new ArrayList<>();
            List<String> companies = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                String company = shift + "\uD83D\uDE00".repeat(120) + i;
                String text = "\uD83D\uDE00".repeat(60);
                companies.add(company);
                LifecycleFold fold = new LifecycleFold();
                // nearly every character of each row outside the basic plane, so that the boundaries fall among them
                ContactHistory.capture(UUID.randomUUID(), at.plusSeconds(i), text, text, company, LeadSource.AD, text,
                        text).events().forEach(e -> fold.apply(e.event(), e.sequence()));
                folded.add(fold.rows());
            }
            new TransactionTemplate(db.transactions).executeWithoutResult(tx -> generations.on("b", () ->
                    routed.execute((ConnectionCallback<Void>) connection -> {
                        new ReadModelBulkWriter(100, 2_000, generations::route).write(connection, folded);
                        return null;
                    })));
            assertThat(db.jdbc.queryForList("SELECT company FROM read_contact_b", String.class))
                    .containsExactlyInAnyOrderElementsOf(companies);
        }
        clear(db);
    }

    @Provide
    Arbitrary<List<ContactSpec>> pipelines() {
        return ReportPropertiesTest.pipelineArbitrary();
    }

    private static void check(ReadModelDatabase db, List<ContactSpec> specs, long seed) {
        checkHistories(db, specs.stream().map(ReportPropertiesTest::walk).toList(), seed);
    }

    private static void checkHistories(ReadModelDatabase db, List<ContactHistory> contacts, long seed) {
        Random random = new Random(seed);
        ReadModelGenerations generations = new ReadModelGenerations(db.jdbc);
        assertThat(generations.active()).as("the live projection of this test writes generation a").isEqualTo("a");
        JdbcTemplate routed = new JdbcTemplate(new GenerationRoutingDataSource(db.dataSource, generations));
        LifecycleProjection projectionOnB = new LifecycleProjection(routed, db.transactions);
        clear(db);

        db.applyAll(ReportPropertiesTest.deliver(contacts, random));

        List<ContactRows> folded = new ArrayList<>();
        List<Envelope> rest = new ArrayList<>();
        for (ContactHistory contact : contacts) {
            List<Envelope> events = contact.events();
            // a contact the bulk phase saw whole, in part, or (capture still in flight) not at all
            int seen = random.nextInt(3) == 0 ? random.nextInt(events.size() + 1) : events.size();
            LifecycleFold fold = new LifecycleFold();
            events.subList(0, seen).forEach(e -> fold.apply(e.event(), e.sequence()));
            if (fold.rows() != null) {
                folded.add(fold.rows());
            }
            rest.addAll(events.subList(seen, events.size()));
        }
        ReadModelBulkWriter writer = new ReadModelBulkWriter(1 + random.nextInt(5), 1 + random.nextInt(12),
                generations::route);
        if (db != H2 && random.nextBoolean()) {
            // as a bulk load on PostgreSQL writes them: frozen, in one transaction, a batch of contacts per COPY
            writeFrozen(db, generations, writer, folded, 1 + random.nextInt(4));
        } else {
            new TransactionTemplate(db.transactions).executeWithoutResult(tx -> generations.on("b", () ->
                    routed.execute((ConnectionCallback<Void>) connection -> {
                        writer.write(connection, folded);
                        return null;
                    })));
        }
        // as the replay does after its bulk phase: the aggregates from the folded contacts, with a small buffer that
        // spills, then the rest live
        new TransactionTemplate(db.transactions).executeWithoutResult(tx -> generations.on("b", () -> {
            try (FoldedRebuild rebuild = ReadModelDatabase.foldedRebuild(routed, 1 + random.nextInt(4))) {
                folded.forEach(contact -> rebuild.folded(contact.folded()));
                rebuild.finish();
            }
            return null;
        }));
        generations.on("b", () -> {
            rest.forEach(e -> Envelope.dispatch(projectionOnB, e));
            return null;
        });

        assertThat(rows(db.jdbc, "read_contact")).as("contacts projected live").hasSize(contacts.size());
        for (String table : ReplayService.TABLES) {
            List<String> live = rows(db.jdbc, table);
            assertThat(rows(db.jdbc, table + "_b")).as(table + " rebuilt by the fold").isEqualTo(live);
        }
    }

    private static void writeFrozen(ReadModelDatabase db, ReadModelGenerations generations, ReadModelBulkWriter writer,
                                    List<ContactRows> folded, int contactsPerCopy) {
        try (FrozenBaseRows frozen = FrozenBaseRows.begin(db.dataSource, writer, "b")) {
            for (int from = 0; from < folded.size(); from += contactsPerCopy) {
                frozen.write(folded.subList(from, Math.min(folded.size(), from + contactsPerCopy)));
            }
            frozen.commit();
            assertThat(frozen.spareVacuum()).as("PostgreSQL 14 or later marks frozen copies all-visible").isTrue();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of the table as text, column by column, sorted (rows tied on their first columns included). */
    private static List<String> rows(JdbcTemplate jdbc, String table) {
        // change rows that add nothing are left by the projection and removed by a rebuild
        String where = table.startsWith("read_cohort_count") ? " WHERE NOT (" + ReportAggregates.EMPTY_CHANGE + ")"
                : table.startsWith("read_cohort_month_change") ? " WHERE NOT (" + ReportAggregates.NO_COUNTS + ")" : "";
        return jdbc.query("SELECT * FROM " + table + where, (rs, n) -> {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.append(rs.getMetaData().getColumnName(i).toLowerCase()).append('=').append(rs.getString(i))
                        .append(' ');
            }
            return row.toString();
        }).stream().sorted().toList();
    }

    private static void clear(ReadModelDatabase db) {
        for (String table : ReplayService.TABLES) {
            db.jdbc.update("DELETE FROM " + table);
            db.jdbc.update("DELETE FROM " + table + "_b");
        }
    }
}
