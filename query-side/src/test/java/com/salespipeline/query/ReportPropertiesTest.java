package com.salespipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.contact.ContactPage;
import com.salespipeline.query.contact.ContactQueries;
import com.salespipeline.query.contact.ContactView;
import com.salespipeline.query.conversion.ConversionQueries;
import com.salespipeline.query.conversion.ConversionReport;
import com.salespipeline.query.conversion.GroupBy;
import com.salespipeline.query.conversion.Ratio;
import com.salespipeline.query.duration.StageDurationQueries;
import com.salespipeline.query.duration.StageDurationReport;
import com.salespipeline.query.funnel.FunnelMode;
import com.salespipeline.query.funnel.FunnelQueries;
import com.salespipeline.query.funnel.FunnelReport;
import com.salespipeline.query.lifecycle.ContactHistory;
import com.salespipeline.query.lifecycle.Envelope;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.ReportPlanner;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random valid histories of many contacts (recycles, skipped MQLs, won and lost upsells, owner changes,
 * equal and sub-second times), delivered interleaved across contacts out of business-time order and with
 * redeliveries; then, for random questions, every report must equal {@link NaiveReports}, whether it is
 * answered from the report aggregates (as maintained, or rebuilt from the rows) or by scanning. Its generator
 * of valid histories is public for other properties over the same histories.
 */
public class ReportPropertiesTest {

    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
    private static final List<LeadSource> SOURCES = List.of(LeadSource.WEB_FORM, LeadSource.REFERRAL, LeadSource.AD,
            LeadSource.EVENT);
    private static final List<String> CAMPAIGNS = java.util.Arrays.asList(null, "spring", "summer");
    private static final List<String> OWNERS = java.util.Arrays.asList(null, "ann", "bob", "cat");

    private static final ReadModelDatabase DB = new ReadModelDatabase();

    /** One step of a contact's walk: which of the allowed actions, and how long after the previous event. */
    public record Step(int choice, int gapKind, int gapAmount) {
    }

    public record ContactSpec(int startMinute, int source, int campaign, int owner, List<Step> steps) {
    }

    @Property(tries = 80)
    void everyReportEqualsTheNaiveReference(@ForAll("pipelines") List<ContactSpec> specs,
                                            @ForAll long deliverySeed, @ForAll long questionSeed) {
        check(DB, specs, deliverySeed, questionSeed);
    }

    /** Projects the histories into {@code db} and holds every report to the reference. */
    static void check(ReadModelDatabase db, List<ContactSpec> specs, long deliverySeed, long questionSeed) {
        List<ContactHistory> contacts = specs.stream().map(ReportPropertiesTest::walk).toList();
        Random delivery = new Random(deliverySeed);
        List<Envelope> delivered = deliver(contacts, delivery);

        db.clear();
        Random batches = new Random(deliverySeed ^ questionSeed);
        if (batches.nextBoolean()) {
            db.applyAll(delivered);
        } else {
            // as an event processor delivers them: many events in one transaction, whose aggregate rows are written
            // once at its commit
            db.applyInBatches(delivered, batches, 1 + batches.nextInt(60));
        }
        if (new Random(deliverySeed).nextBoolean()) {
            // as a bulk replay would leave them: the same aggregates, recomputed from the rows
            List<String> maintained = db.aggregateDump();
            db.rebuildAggregates();
            assertThat(db.aggregateDump()).as("aggregates rebuilt from the rows").isEqualTo(maintained);
        }

        NaiveReports naive = new NaiveReports(delivered);
        List<Instant> eventTimes = delivered.stream().map(e -> e.event().occurredAt()).toList();
        Random questions = new Random(questionSeed);
        // every question both ways: as planned (the aggregates when they can answer) and always scanning
        List<ReportPlanner> planners = List.of(new ReportPlanner(db.named, db.transactions), ReportPlanner.scanning(db.named));
        for (int i = 0; i < 6; i++) {
            NaiveReports.Question q = question(questions, eventTimes);
            ReportFilter filter = new ReportFilter(q.from(), q.to(), q.asOf(),
                    q.source() == null ? null : LeadSource.valueOf(q.source()), q.campaign(), q.owner());
            GroupBy[] groupings = GroupBy.values();
            int g = questions.nextInt(groupings.length + 1);
            int s = questions.nextInt(Stage.values().length + 1);
            Stage stage = s == Stage.values().length ? null : Stage.values()[s];
            for (ReportPlanner planner : planners) {
                checkFunnel(db, planner, naive, q, filter, FunnelMode.CUMULATIVE);
                checkFunnel(db, planner, naive, q, filter, FunnelMode.STRICT);
                checkConversion(db, planner, naive, q, filter, g == groupings.length ? null : groupings[g]);
                checkDurations(db, planner, naive, q, filter);
                checkContactList(db, planner, naive, q, stage);
                checkContactListAsOf(db, planner, naive, q, filter, stage);
            }
        }
    }

    private static void checkFunnel(ReadModelDatabase db, ReportPlanner planner, NaiveReports naive,
                                    NaiveReports.Question q, ReportFilter filter, FunnelMode mode) {
        FunnelReport report = new FunnelQueries(db.named, planner).funnel(filter, mode);
        Map<Stage, long[]> expected = naive.funnel(q, mode == FunnelMode.CUMULATIVE);
        assertThat(report.stages()).extracting(FunnelReport.StageCount::stage).containsExactlyElementsOf(NaiveReports.FUNNEL);
        for (FunnelReport.StageCount count : report.stages()) {
            assertThat(new long[] {count.reached(), count.current()}).as("%s %s %s", mode, count.stage(), q)
                    .containsExactly(expected.get(count.stage()));
        }
        assertThat(report.exits()).as("exits %s", q).containsExactly(
                Map.entry(Stage.DISQUALIFIED, expected.get(Stage.DISQUALIFIED)[1]),
                Map.entry(Stage.LOST, expected.get(Stage.LOST)[1]));
    }

    private static void checkConversion(ReadModelDatabase db, ReportPlanner planner, NaiveReports naive,
                                        NaiveReports.Question q, ReportFilter filter, GroupBy groupBy) {
        ConversionReport report = new ConversionQueries(db.named, planner).conversionRates(filter, groupBy);
        Map<String, long[]> expected = naive.conversion(q, groupBy == null ? null : groupBy.parameter());
        assertThat(report.groups()).extracting(ConversionReport.Group::group).as("groups by %s of %s", groupBy, q)
                .containsExactlyElementsOf(new ArrayList<>(expected.keySet()));
        for (ConversionReport.Group group : report.groups()) {
            long[] counts = expected.get(group.group());
            List<Ratio> transitions = new ArrayList<>();
            for (int i = 0; i + 1 < NaiveReports.FUNNEL.size(); i++) {
                transitions.add(ratio(NaiveReports.FUNNEL.get(i).name(), NaiveReports.FUNNEL.get(i + 1).name(),
                        counts[i + 1], counts[i]));
            }
            int n = NaiveReports.FUNNEL.size();
            assertThat(group).as("group %s by %s of %s", group.group(), groupBy, q).isEqualTo(
                    new ConversionReport.Group(group.group(), transitions, ratio("LEAD", "CUSTOMER", counts[4], counts[0]),
                            ratio(null, null, counts[n], counts[n + 1])));
        }
    }

    private static void checkContactListAsOf(ReadModelDatabase db, ReportPlanner planner, NaiveReports naive,
                                             NaiveReports.Question q, ReportFilter filter, Stage stage) {
        ContactQueries queries = new ContactQueries(db.named, planner);
        List<NaiveReports.Contact> expected = naive.contactsAsOf(q, stage);
        ContactPage first = queries.listAsOf(stage, filter, 0, 4);
        ContactPage second = queries.listAsOf(stage, filter, 1, 4);
        assertThat(first.total()).as("contacts in %s as of %s", stage, q).isEqualTo(expected.size());
        List<ContactView> listed = new ArrayList<>(first.items());
        listed.addAll(second.items());
        List<NaiveReports.Contact> firstEight = expected.subList(0, Math.min(8, expected.size()));
        assertThat(listed).extracting(ContactView::contactId, ContactView::stage, ContactView::owner,
                        ContactView::stageEnteredAt, ContactView::capturedAt)
                .as("first two pages of %s as of %s", stage, q)
                .containsExactlyElementsOf(firstEight.stream().map(c -> tuple(c.id, c.stage, c.owner,
                        NaiveReports.stageEnteredAt(c), c.capturedAt)).toList());
        if (!expected.isEmpty()) {
            NaiveReports.Contact one = expected.get(0);
            assertThat(queries.find(one.id, q.asOf())).as("%s as of %s", one.id, q.asOf()).get()
                    .extracting(ContactView::stage, ContactView::owner, ContactView::stageEnteredAt)
                    .containsExactly(one.stage, one.owner, NaiveReports.stageEnteredAt(one));
        }
    }

    private static void checkContactList(ReadModelDatabase db, ReportPlanner planner, NaiveReports naive,
                                         NaiveReports.Question q, Stage stage) {
        ContactQueries queries = new ContactQueries(db.named, planner);
        LeadSource source = q.source() == null ? null : LeadSource.valueOf(q.source());
        ContactPage page = queries.list(stage, q.owner(), source, q.campaign(), 0, 5);
        long expected = naive.contactsNow(stage, q.source(), q.campaign(), q.owner());
        assertThat(page.total()).as("contacts now in %s of %s", stage, q).isEqualTo(expected);
        assertThat(page.items()).as("first page of %s of %s", stage, q).hasSize((int) Math.min(5, expected))
                .allSatisfy(c -> assertThat(stage == null || c.stage() == stage).isTrue());
        // captured in the question's range, two pages of three: the contacts themselves, in order of capture
        List<NaiveReports.Contact> inRange = naive.contactsAsOf(new NaiveReports.Question(q.from(), q.to(), Instant.MAX,
                q.source(), q.campaign(), q.owner()), stage);
        ContactPage first = queries.list(stage, q.owner(), source, q.campaign(), q.from(), q.to(), 0, 3);
        ContactPage second = queries.list(stage, q.owner(), source, q.campaign(), q.from(), q.to(), 1, 3);
        assertThat(first.total()).as("contacts now in %s captured in the range of %s", stage, q)
                .isEqualTo(inRange.size());
        List<ContactView> listed = new ArrayList<>(first.items());
        listed.addAll(second.items());
        assertThat(listed).extracting(ContactView::contactId, ContactView::stage, ContactView::owner)
                .as("first two pages of %s captured in the range of %s", stage, q)
                .containsExactlyElementsOf(inRange.subList(0, Math.min(6, inRange.size())).stream()
                        .map(c -> tuple(c.id, c.stage, c.owner)).toList());
    }

    /** Written out rather than {@link Ratio#of}, so that the rate arithmetic is checked too. */
    private static Ratio ratio(String from, String to, long numerator, long denominator) {
        return new Ratio(from, to, numerator, denominator, denominator == 0 ? null : numerator / (double) denominator);
    }

    private static void checkDurations(ReadModelDatabase db, ReportPlanner planner, NaiveReports naive,
                                       NaiveReports.Question q, ReportFilter filter) {
        StageDurationReport report = new StageDurationQueries(db.named, db.transactions, planner).stageDurations(filter);
        Map<Stage, NaiveReports.Durations> expected = naive.durations(q);
        assertThat(report.stages()).extracting(StageDurationReport.StageDuration::stage)
                .containsExactlyElementsOf(NaiveReports.FUNNEL);
        for (StageDurationReport.StageDuration actual : report.stages()) {
            NaiveReports.Durations durations = expected.get(actual.stage());
            String what = actual.stage() + " of " + q;
            List<Long> completed = durations.completed();
            assertThat(actual.count()).as("count " + what).isEqualTo(completed.size());
            assertThat(actual.openCount()).as("openCount " + what).isEqualTo(durations.openAges().size());
            assertSeconds(actual.p50Seconds(), durations.percentile(50), "p50 " + what);
            assertSeconds(actual.p90Seconds(), durations.percentile(90), "p90 " + what);
            assertSeconds(actual.maxSeconds(), completed.stream().max(Long::compare).orElse(null), "max " + what);
            assertMean(actual.avgSeconds(), completed, "avg " + what);
            assertMean(actual.openAvgAgeSeconds(), durations.openAges(), "openAvgAge " + what);
        }
    }

    private static void assertSeconds(Number actual, Long expectedMicros, String what) {
        if (expectedMicros == null) {
            assertThat(actual).as(what).isNull();
            return;
        }
        assertThat(actual).as(what).isNotNull();
        assertThat(new BigDecimal(actual.toString())).as(what)
                .isEqualByComparingTo(BigDecimal.valueOf(expectedMicros, 6));
        if (expectedMicros % 1_000_000 == 0) {
            assertThat(actual).as(what + " as a whole number").isInstanceOf(Long.class);
        }
    }

    private static void assertMean(Double actual, List<Long> micros, String what) {
        if (micros.isEmpty()) {
            assertThat(actual).as(what).isNull();
            return;
        }
        double expected = micros.stream().mapToDouble(m -> m / 1_000_000.0).sum() / micros.size();
        assertThat(actual).as(what).isNotNull().isCloseTo(expected, within(Math.max(1e-6, Math.abs(expected) * 1e-12)));
    }

    // ---- generating histories

    @Provide
    Arbitrary<List<ContactSpec>> pipelines() {
        return pipelineArbitrary();
    }

    public static Arbitrary<List<ContactSpec>> pipelineArbitrary() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 1_000),
                Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 1_000)).as(Step::new);
        Arbitrary<ContactSpec> contact = Combinators.combine(Arbitraries.integers().between(0, 60 * 24 * 75),
                Arbitraries.integers().between(0, SOURCES.size() - 1),
                Arbitraries.integers().between(0, CAMPAIGNS.size() - 1),
                Arbitraries.integers().between(0, OWNERS.size() - 1),
                step.list().ofMaxSize(16)).as(ContactSpec::new);
        return contact.list().ofMinSize(1).ofMaxSize(30);
    }

    /** Turns a spec into a valid history: each step picks one of the actions allowed in the current stage. */
    public static ContactHistory walk(ContactSpec spec) {
        Instant time = BASE.plus(Duration.ofMinutes(spec.startMinute()));
        ContactHistory history = ContactHistory.capture(UUID.randomUUID(), time, SOURCES.get(spec.source()),
                CAMPAIGNS.get(spec.campaign()), OWNERS.get(spec.owner()));
        for (Step step : spec.steps()) {
            time = time.plus(gap(step));
            List<String> actions = actions(history);
            String action = actions.get(step.choice() % actions.size());
            Instant at = time;
            switch (action) {
                case "engage" -> history.engage(at);
                case "assign" -> history.assign(OWNERS.get(1 + step.choice() % (OWNERS.size() - 1)), at);
                case "mql" -> history.mql(at);
                case "qualify" -> history.qualify(at);
                case "convert" -> history.convert(at);
                case "win" -> history.win(at);
                case "lose" -> history.lose(at);
                case "disqualify" -> history.disqualify(at);
                case "recycle" -> history.recycle(at);
                case "advocate" -> history.advocate(at);
                case "openUpsell" -> history.openUpsell(at);
                case "winUpsell" -> history.winUpsell(history.openOpportunities().get(0), at);
                case "loseUpsell" -> history.loseUpsell(history.openOpportunities().get(0), at);
                default -> throw new IllegalStateException(action);
            }
        }
        return history;
    }

    private static List<String> actions(ContactHistory history) {
        List<String> actions = new ArrayList<>(List.of("engage", "assign"));
        List<String> moves = switch (history.stage()) {
            case LEAD -> List.of("mql", "qualify", "disqualify");
            case MQL -> List.of("qualify", "disqualify");
            case PROSPECT -> List.of("convert", "disqualify");
            case OPPORTUNITY -> List.of("win", "lose");
            case CUSTOMER -> history.openOpportunities().isEmpty() ? List.of("advocate", "openUpsell")
                    : List.of("advocate", "openUpsell", "winUpsell", "loseUpsell");
            case ADVOCATE -> history.openOpportunities().isEmpty() ? List.of("openUpsell")
                    : List.of("openUpsell", "winUpsell", "loseUpsell");
            case DISQUALIFIED, LOST -> List.of("recycle");
        };
        // moves twice as likely as engagements and owner changes
        actions.addAll(moves);
        actions.addAll(moves);
        return actions;
    }

    private static Duration gap(Step step) {
        int n = step.gapAmount();
        return switch (step.gapKind()) {
            case 0 -> Duration.ZERO;
            case 1 -> Duration.ofMillis(n);
            case 2 -> Duration.ofSeconds(n);
            case 3 -> Duration.ofMinutes(n);
            case 4 -> Duration.ofHours(n % 200);
            default -> Duration.ofDays(n % 20);
        };
    }

    /** Interleaves the contacts, keeping each one's order, and delivers some events again later. */
    public static List<Envelope> deliver(List<ContactHistory> contacts, Random random) {
        List<List<Envelope>> queues = new ArrayList<>();
        for (ContactHistory contact : contacts) {
            queues.add(new ArrayList<>(contact.events()));
        }
        List<Envelope> delivered = new ArrayList<>();
        while (!queues.isEmpty()) {
            int pick = random.nextInt(queues.size());
            delivered.add(queues.get(pick).remove(0));
            if (queues.get(pick).isEmpty()) {
                queues.remove(pick);
            }
            if (random.nextInt(10) == 0) {
                delivered.add(delivered.get(random.nextInt(delivered.size())));
            }
        }
        return delivered;
    }

    // ---- generating questions

    private static NaiveReports.Question question(Random random, List<Instant> eventTimes) {
        Instant from = random.nextInt(3) == 0 ? null : instant(random, eventTimes);
        Instant to = random.nextInt(3) == 0 ? null : instant(random, eventTimes);
        if (from != null && to != null && to.isBefore(from)) {
            Instant earlier = to;
            to = from;
            from = earlier;
        } else if (from != null && random.nextInt(20) == 0) {
            to = from; // an empty cohort
        }
        // half the time after every event, where the aggregates answer
        Instant asOf = random.nextBoolean() ? BASE.plus(Duration.ofDays(3650)) : instant(random, eventTimes);
        String source = random.nextInt(3) == 0 ? SOURCES.get(random.nextInt(SOURCES.size())).name() : null;
        String campaign = random.nextInt(4) == 0 ? CAMPAIGNS.get(1 + random.nextInt(CAMPAIGNS.size() - 1)) : null;
        String owner = random.nextInt(3) == 0 ? OWNERS.get(1 + random.nextInt(OWNERS.size() - 1)) : null;
        return new NaiveReports.Question(from, to, asOf, source, campaign, owner);
    }

    /** Often exactly an event's time, to test the edges of [from, to) and "at or before asOf". */
    private static Instant instant(Random random, List<Instant> eventTimes) {
        Instant some = eventTimes.get(random.nextInt(eventTimes.size()));
        return switch (random.nextInt(4)) {
            case 0 -> some;
            case 1 -> some.minusMillis(1);
            case 2 -> some.plusMillis(1);
            default -> BASE.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 120)));
        };
    }
}
