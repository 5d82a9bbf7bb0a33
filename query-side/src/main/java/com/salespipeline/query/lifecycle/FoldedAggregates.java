package com.salespipeline.query.lifecycle;

import static com.salespipeline.query.lifecycle.Timestamps.epochMicros;

import com.salespipeline.events.Stage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rows of every report aggregate, added up from whole contacts as a bulk replay folds them, instead of read
 * back from the rows the replay wrote: what {@link RebuildSql}'s queries compute from those rows, in Java. A
 * contact's changes are first added up per day of change and owner, then counted under every key; each table's
 * rows are held in a {@link KeyOrderedRows} and inserted in key order at the end.
 */
final class FoldedAggregates implements AutoCloseable {

    private static final int FUNNEL = Stages.FUNNEL.size();

    private final KeyOrderedRows counts;
    private final KeyOrderedRows monthChanges;
    private final CompletedVisitRows visits;
    /**
     * The key of each campaign and owner, one instance per value: the buffer looks a row's texts up in its
     * dictionary for every key the row counts under, and the same instance is equal at once.
     */
    private final Map<String, String> keys = new HashMap<>();
    private Instant latest;

    FoldedAggregates(int bufferRows) {
        counts = KeyOrderedRows.cohortCounts(bufferRows);
        monthChanges = KeyOrderedRows.monthChanges(bufferRows);
        visits = new CompletedVisitRows(bufferRows);
    }

    /** A part of a contact's counts that is held over a span of time: added to a count row with a sign. */
    @FunctionalInterface
    private interface Part {
        void addTo(CohortCounts counts, int sign);
    }

    /** Adds what the contact counts in every aggregate table. */
    void add(FoldedContact contact) {
        String source = contact.source();
        String campaign = key(contact.campaign());
        String owner = key(contact.owner());
        ReportAggregates.underEveryKey(row(ReportAggregates.DAY, ReportAggregates.day(contact.capturedAt()), source,
                campaign, owner, standing(contact)), counts::add);

        // per day of change, then per owner: one row per owner a day, however many pieces fall on it
        Map<Long, Map<String, CohortCounts>> changes = new TreeMap<>();
        Map<Long, CohortCounts> perMonth = new TreeMap<>();
        List<HeldPart> held = heldParts(contact);
        for (FoldedContact.OwnerPeriod period : contact.ownerPeriods()) {
            String periodOwner = key(period.owner());
            for (HeldPart part : held) {
                if (before(part.since(), period.validTo())) {
                    piece(changes, periodOwner, later(part.since(), period.validFrom()), period.validTo(), part.part());
                }
            }
            for (FoldedContact.Visit visit : contact.visits()) {
                if (before(period.validFrom(), visit.leftAt()) && before(visit.enteredAt(), period.validTo())) {
                    piece(changes, periodOwner, later(visit.enteredAt(), period.validFrom()),
                            earlier(visit.leftAt(), period.validTo()), visitPart(visit));
                }
            }
            for (FoldedContact.Closing closing : contact.closings()) {
                if (before(closing.closedAt(), period.validTo())) {
                    piece(changes, periodOwner, later(closing.closedAt(), period.validFrom()), period.validTo(),
                            closingPart(closing));
                }
            }
        }
        // the months of capture count all contacts: the owner periods' cuts cancel out there
        held.forEach(part -> monthPiece(perMonth, part.since(), null, part.part()));
        contact.visits().forEach(visit -> monthPiece(perMonth, visit.enteredAt(), visit.leftAt(), visitPart(visit)));
        contact.closings().forEach(closing -> monthPiece(perMonth, closing.closedAt(), null, closingPart(closing)));
        changes.forEach((day, owners) -> owners.forEach((changeOwner, change) -> ReportAggregates.underEveryKey(
                row(ReportAggregates.CHANGED, day, source, campaign, changeOwner, change), counts::add)));
        perMonth.forEach((day, change) -> monthChanges.add(monthRow(day, contact.capturedMonth(), change)));

        int capturedDay = (int) ReportAggregates.day(contact.capturedAt());
        for (FoldedContact.Visit visit : contact.visits()) {
            if (visit.leftAt() != null && visit.stage().isFunnelStage()) {
                long duration = epochMicros(visit.leftAt()) - epochMicros(visit.enteredAt());
                int fine = DurationBuckets.of(duration);
                visits.add(new String[] {source, campaign, owner}, visit.stage().name(), fine, DurationBuckets.coarse(fine),
                        (int) ReportAggregates.period(visit.leftAt()), capturedDay, BigDecimal.valueOf(duration));
            }
        }
        latest = latestOf(latest, contact.stageEnteredAt());
        latest = latestOf(latest, contact.ownerSince());
        for (FoldedContact.Closing closing : contact.closings()) {
            latest = latestOf(latest, closing.closedAt());
        }
    }

    private String key(String value) {
        return value == null ? ReportAggregates.encode(null) : keys.computeIfAbsent(value, ReportAggregates::encode);
    }

    /** The latest change among the contacts added: the watermark of the aggregates they make. */
    Instant latest() {
        return latest;
    }

    /** Inserts every table's rows in key order, committing through {@code eachChunk} when given. */
    void insertInto(JdbcTemplate jdbc, TransactionTemplate eachChunk) {
        counts.insertInto(jdbc, eachChunk);
        monthChanges.insertInto(jdbc, eachChunk);
        visits.insertInto(jdbc, eachChunk);
    }

    @Override
    public void close() {
        KeyOrderedRows.closeAll(counts, monthChanges, visits);
    }

    /** What the contact adds to the counts of its day of capture as it stands: itself and its closed opportunities. */
    private static CohortCounts standing(FoldedContact contact) {
        CohortCounts counts = new CohortCounts();
        counts.contacts = 1;
        counts.current[contact.stage().ordinal()] = 1;
        for (int s = 1; s < FUNNEL; s++) {
            counts.reached[s] = contact.reached()[s] == null ? 0 : 1;
            counts.entered[s] = contact.entered()[s] == null ? 0 : 1;
        }
        if (contact.stage().isFunnelStage()) {
            counts.openMicros[contact.stage().funnelOrder()] = BigDecimal.valueOf(epochMicros(contact.stageEnteredAt()));
        }
        for (FoldedContact.Closing closing : contact.closings()) {
            closingPart(closing).addTo(counts, 1);
        }
        return counts;
    }

    /** A part held from {@code since} on: the contact from its capture, each stage reached or entered from then. */
    private record HeldPart(Instant since, Part part) {
    }

    private static List<HeldPart> heldParts(FoldedContact contact) {
        List<HeldPart> parts = new java.util.ArrayList<>(1 + 2 * (FUNNEL - 1));
        parts.add(new HeldPart(contact.capturedAt(), (counts, sign) -> counts.contacts += sign));
        for (int s = 1; s < FUNNEL; s++) {
            int stage = s;
            if (contact.reached()[s] != null) {
                parts.add(new HeldPart(contact.reached()[s], (counts, sign) -> counts.reached[stage] += sign));
            }
        }
        for (int s = 1; s < FUNNEL; s++) {
            int stage = s;
            if (contact.entered()[s] != null) {
                parts.add(new HeldPart(contact.entered()[s], (counts, sign) -> counts.entered[stage] += sign));
            }
        }
        return parts;
    }

    /** A visit while it is open: one in its stage, and (a funnel stage) its start, for the mean age of the open ones. */
    private static Part visitPart(FoldedContact.Visit visit) {
        Stage stage = visit.stage();
        BigDecimal start = stage.isFunnelStage() ? BigDecimal.valueOf(epochMicros(visit.enteredAt())) : null;
        return (counts, sign) -> {
            counts.current[stage.ordinal()] += sign;
            if (start != null) {
                int order = stage.funnelOrder();
                counts.openMicros[order] = counts.openMicros[order].add(sign < 0 ? start.negate() : start);
            }
        };
    }

    private static Part closingPart(FoldedContact.Closing closing) {
        return closing.won() ? (counts, sign) -> counts.won += sign : (counts, sign) -> counts.lost += sign;
    }

    /** A piece under {@code owner}: added on the day it starts, taken away on the day it ends (if it does). */
    private static void piece(Map<Long, Map<String, CohortCounts>> changes, String owner, Instant start, Instant end,
                              Part part) {
        part.addTo(changes.computeIfAbsent(ReportAggregates.day(start), d -> new HashMap<>(2))
                .computeIfAbsent(owner, o -> new CohortCounts()), 1);
        if (end != null) {
            part.addTo(changes.computeIfAbsent(ReportAggregates.day(end), d -> new HashMap<>(2))
                    .computeIfAbsent(owner, o -> new CohortCounts()), -1);
        }
    }

    private static void monthPiece(Map<Long, CohortCounts> changes, Instant start, Instant end, Part part) {
        part.addTo(changes.computeIfAbsent(ReportAggregates.day(start), d -> new CohortCounts()), 1);
        if (end != null) {
            part.addTo(changes.computeIfAbsent(ReportAggregates.day(end), d -> new CohortCounts()), -1);
        }
    }

    /** Whether {@code at} is before {@code end}, an end of null being none. */
    private static boolean before(Instant at, Instant end) {
        return end == null || at.isBefore(end);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The earlier of two ends, null being none. */
    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant latestOf(Instant latest, Instant at) {
        return latest == null || (at != null && at.isAfter(latest)) ? at : latest;
    }

    /** A row of read_cohort_count in the columns of {@link KeyOrderedRows#cohortCounts}. */
    private static Object[] row(String span, long day, String source, String campaign, String owner,
                                CohortCounts counts) {
        Object[] row = new Object[5 + CohortCounts.COLUMNS.size()];
        row[0] = span;
        row[1] = (int) day;
        row[2] = source;
        row[3] = campaign;
        row[4] = owner;
        counts.copyInto(row, 5);
        return row;
    }

    private static Object[] monthRow(long day, String month, CohortCounts counts) {
        Object[] row = new Object[2 + CohortCounts.COLUMNS.size()];
        row[0] = (int) day;
        row[1] = month;
        counts.copyInto(row, 2);
        return row;
    }
}
