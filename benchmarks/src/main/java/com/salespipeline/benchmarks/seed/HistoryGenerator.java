package com.salespipeline.benchmarks.seed;

import com.salespipeline.command.contact.LifecycleCommand;
import com.salespipeline.command.store.AuditMetaData;
import com.salespipeline.events.AdvocacyReason;
import com.salespipeline.events.ContactEvent;
import com.salespipeline.events.ContactRecycled;
import com.salespipeline.events.CustomerBecameAdvocate;
import com.salespipeline.events.DisqualificationReason;
import com.salespipeline.events.EngagementRecorded;
import com.salespipeline.events.EngagementType;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadConverted;
import com.salespipeline.events.LeadDisqualified;
import com.salespipeline.events.LeadMarketingQualified;
import com.salespipeline.events.LeadQualified;
import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Money;
import com.salespipeline.events.OpportunityLost;
import com.salespipeline.events.OpportunityOpened;
import com.salespipeline.events.OpportunityWon;
import com.salespipeline.events.OwnerAssigned;
import com.salespipeline.events.PersonName;
import com.salespipeline.events.Stage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes contact histories of the lifecycle's real shape: most leads stall or are disqualified, a few become
 * customers, some are recycled and try again, sources and campaigns are skewed, owners change, engagements
 * come in between, customers buy upsells; business times are backdated over {@link #SPAN} and never reach
 * the present. Every history follows the rules of domain.md, checked step by step against the command side's
 * own transition table, so the aggregate accepts it (GeneratedHistoriesAreAcceptedTest replays them as
 * commands). Each contact depends only on the seed and its index, so any slice can be generated alone.
 */
public final class HistoryGenerator {

    /** How far back histories start. */
    public static final Duration SPAN = Duration.ofDays(730);

    private static final LeadSource[] SOURCES = LeadSource.values();
    // WEB_FORM, AD, CONTENT_DOWNLOAD, WEBINAR, EVENT, REFERRAL, PURCHASED_LIST, COLD_OUTREACH, SOCIAL, OTHER
    private static final double[] SOURCE_WEIGHTS = {30, 18, 12, 8, 6, 5, 8, 6, 5, 2};
    private static final String[] GIVEN = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret",
            "Linus", "Frances", "John", "Radia", "Ken", "Hedy", "Tim", "Anita", "Dennis"};
    private static final String[] FAMILY = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth",
            "Hamilton", "Torvalds", "Allen", "Backus", "Perlman", "Thompson", "Lamarr", "Berners-Lee", "Borg",
            "Ritchie"};
    private static final EngagementType[] ONE_WAY = {EngagementType.EMAIL_OPENED, EngagementType.PAGE_VIEWED,
            EngagementType.PRICING_PAGE_VIEWED, EngagementType.CONTENT_DOWNLOADED, EngagementType.FORM_SUBMITTED,
            EngagementType.AD_CLICKED, EngagementType.WEBINAR_ATTENDED, EngagementType.DEMO_REQUESTED};
    private static final EngagementType[] TWO_WAY = {EngagementType.EMAIL_REPLIED, EngagementType.CALL_HELD,
            EngagementType.MEETING_HELD, EngagementType.DEMO_HELD};
    private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "USD", "USD", "GBP"};
    private static final String[] LOSS_REASONS = {"chose a competitor", "no decision", "price", "project cancelled"};

    private final long seed;
    private final Instant now;
    private final String actor;

    /**
     * @param now   histories end before this instant (business times must not lie in the future)
     * @param actor the principal named in every event's metadata, as an authenticated caller would be
     */
    public HistoryGenerator(long seed, Instant now, String actor) {
        this.seed = seed;
        this.now = now.truncatedTo(ChronoUnit.MILLIS);
        this.actor = actor;
    }

    /** The contact at {@code index}: always the same for the same seed. */
    public GeneratedContact contact(long index) {
        Life life = new Life(index, random(index));
        life.live();
        return life.result();
    }

    /**
     * A contact with exactly {@code events} events (at least 2): a full lifecycle with many engagements, owner
     * changes and upsells, for the history scenario.
     */
    public GeneratedContact longHistory(long index, int events) {
        if (events < 2) {
            throw new IllegalArgumentException("a long history has at least 2 events");
        }
        Life life = new Life(index, random(index));
        life.longLife(events);
        return life.result();
    }

    private SplittableRandom random(long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    /** One contact being lived through; {@link #at} only moves forward. */
    private final class Life {

        private final long index;
        private final SplittableRandom random;
        private final UUID id;
        private final String email;
        private final List<GeneratedContact.Event> events = new ArrayList<>();
        private final Map<UUID, Money> open = new LinkedHashMap<>();
        private final String company;
        private Instant at;
        private Stage stage;
        private String owner;
        private boolean twoWay;
        private boolean ended;

        Life(long index, SplittableRandom random) {
            this.index = index;
            this.random = random;
            this.id = uuid();
            this.email = "contact-" + index + "-" + Long.toHexString(random.nextLong() & 0xffffffL) + "@bench.example";
            this.company = random.nextInt(4) == 0 ? null : "Company " + random.nextInt(50_000);
        }

        GeneratedContact result() {
            return new GeneratedContact(id, email, List.copyOf(events), stage, open.size());
        }

        void live() {
            // skewed towards recent captures: lead volume grows over the two years
            double ageFraction = 1 - Math.sqrt(random.nextDouble());
            at = now.minusMillis((long) (ageFraction * SPAN.toMillis())).truncatedTo(ChronoUnit.MILLIS);
            capture(skewedSource(), campaign(), random.nextInt(10) < 4 ? null : owner());
            for (int recycles = 0; !ended && recycles <= 2; recycles++) {
                nurture();
                if (ended || !isExit()) {
                    break;
                }
                if (random.nextInt(100) >= 20 || !step(Duration.ofDays(90))) {
                    break;
                }
                recycle("back to nurture");
            }
        }

        /** From LEAD (new or recycled) through the funnel, until the contact stalls or exits. */
        private void nurture() {
            oneWayEngagements(random.nextInt(4));
            maybeChangeOwner();
            int r = random.nextInt(100);
            if (r < 50 || ended) {
                oneWayEngagements(random.nextInt(3));
                return;
            }
            if (r < 65) {
                if (step(Duration.ofDays(20))) {
                    disqualify();
                }
                return;
            }
            if (r < 90) {
                if (!step(Duration.ofDays(7))) {
                    return;
                }
                mql();
                int atMql = random.nextInt(100);
                if (atMql < 40) {
                    oneWayEngagements(random.nextInt(3));
                    return;
                }
                if (atMql < 60) {
                    if (step(Duration.ofDays(20))) {
                        disqualify();
                    }
                    return;
                }
            }
            if (!twoWay && !(step(Duration.ofDays(5)) && engage(TWO_WAY[random.nextInt(TWO_WAY.length)]))) {
                return;
            }
            if (owner == null || random.nextInt(100) < 30) {
                // sales takes over at qualification
                if (!(step(Duration.ofDays(2)) && assign(owner()))) {
                    return;
                }
            }
            if (!step(Duration.ofDays(14))) {
                return;
            }
            qualify();
            int atProspect = random.nextInt(100);
            if (atProspect < 20) {
                return;
            }
            if (atProspect < 40) {
                if (step(Duration.ofDays(20))) {
                    disqualify();
                }
                return;
            }
            if (!step(Duration.ofDays(10))) {
                return;
            }
            convert();
            oneWayEngagements(random.nextInt(2));
            int atOpportunity = random.nextInt(100);
            if (atOpportunity < 25 || !step(Duration.ofDays(30))) {
                return;
            }
            if (atOpportunity < 65) {
                lose(true);
                return;
            }
            win();
            customerLife();
        }

        private void customerLife() {
            for (int upsells = 0; !ended && upsells < 3 && open.isEmpty() && random.nextInt(100) < 30; upsells++) {
                if (stage == Stage.CUSTOMER && random.nextInt(100) < 25 && step(Duration.ofDays(120))) {
                    advocate();
                }
                if (!step(Duration.ofDays(60))) {
                    return;
                }
                openUpsell();
                int outcome = random.nextInt(100);
                if (outcome < 20 || !step(Duration.ofDays(30))) {
                    return;
                }
                if (outcome < 70) {
                    win();
                } else {
                    lose(false);
                }
            }
            if (!ended && stage == Stage.CUSTOMER && random.nextInt(100) < 25 && step(Duration.ofDays(120))) {
                advocate();
            }
        }

        void longLife(int total) {
            at = now.minus(SPAN).truncatedTo(ChronoUnit.MILLIS);
            long gapMillis = SPAN.toMillis() / (total + 1);
            capture(LeadSource.REFERRAL, "long-history", owner());
            List<Runnable> funnel = List.of(this::mql, () -> engage(EngagementType.MEETING_HELD), this::qualify,
                    this::convert, this::win, this::advocate);
            int funnelStep = 0;
            while (events.size() < total) {
                at = at.plusMillis(gapMillis);
                int left = total - events.size();
                int k = events.size();
                if (funnelStep < funnel.size() && k % 20 == 0) {
                    funnel.get(funnelStep++).run();
                } else if (funnelStep == funnel.size() && !open.isEmpty() && k % 10 == 0) {
                    if (k % 20 == 0) {
                        win();
                    } else {
                        lose(false);
                    }
                } else if (funnelStep == funnel.size() && open.isEmpty() && k % 10 == 5 && left > 1) {
                    openUpsell();
                } else if (k % 25 == 7) {
                    assign(owner());
                } else {
                    engage(random.nextInt(3) == 0 ? TWO_WAY[random.nextInt(TWO_WAY.length)]
                            : ONE_WAY[random.nextInt(ONE_WAY.length)]);
                }
            }
        }

        // ------------------------------------------------------------------------------------------
        // Time

        /** Moves business time on by an exponential gap with this mean; false (and ended) when it would reach now. */
        private boolean step(Duration mean) {
            if (ended) {
                return false;
            }
            long gap = (long) (-Math.log(1 - random.nextDouble()) * mean.toMillis());
            Instant next = at.plusMillis(Math.max(1, gap));
            if (!next.isBefore(now.minus(Duration.ofMinutes(1)))) {
                ended = true;
                return false;
            }
            at = next;
            return true;
        }

        // ------------------------------------------------------------------------------------------
        // Commands, each checked against the transition table before its event is recorded

        private void capture(LeadSource source, String campaign, String firstOwner) {
            PersonName name = PersonName.parse(GIVEN[random.nextInt(GIVEN.length)] + " "
                    + FAMILY[random.nextInt(FAMILY.length)]);
            String phone = random.nextInt(3) == 0 ? "+44 20 7946 " + String.format("%04d", random.nextInt(10_000)) : null;
            String jobTitle = random.nextInt(2) == 0 ? null : "Head of " + (random.nextBoolean() ? "IT" : "Marketing");
            owner = firstOwner;
            stage = Stage.LEAD;
            record(new LeadCaptured(id, name.givenName(), name.familyName(), email, phone, company, jobTitle, source,
                    campaign, firstOwner, null, Stage.LEAD, at), null);
        }

        private void oneWayEngagements(int count) {
            for (int i = 0; i < count && step(Duration.ofDays(3)); i++) {
                engage(ONE_WAY[random.nextInt(ONE_WAY.length)]);
            }
        }

        private boolean engage(EngagementType type) {
            require(LifecycleCommand.RECORD_ENGAGEMENT);
            String note = random.nextInt(4) == 0 ? "note " + random.nextInt(1000) : null;
            twoWay |= type.isTwoWay();
            record(new EngagementRecorded(id, type, type.isTwoWay(), note, at), note);
            return true;
        }

        private void maybeChangeOwner() {
            if (random.nextInt(100) < 10 && step(Duration.ofDays(10))) {
                assign(owner());
            }
        }

        private boolean assign(String newOwner) {
            require(LifecycleCommand.ASSIGN_OWNER);
            String previous = owner;
            owner = newOwner;
            record(new OwnerAssigned(id, newOwner, previous, at), null);
            return true;
        }

        private void mql() {
            require(LifecycleCommand.MARK_MARKETING_QUALIFIED);
            String reason = random.nextBoolean() ? "score threshold reached" : null;
            record(new LeadMarketingQualified(id, 40 + random.nextInt(61), stage, move(Stage.MQL), at), reason);
        }

        private void qualify() {
            require(LifecycleCommand.QUALIFY_LEAD);
            if (!twoWay) {
                throw new IllegalStateException("qualifying needs a two-way engagement first");
            }
            record(new LeadQualified(id, (10 + random.nextInt(200)) + "k", "the CTO signs", "reporting",
                    "Q" + (1 + random.nextInt(4)), stage, move(Stage.PROSPECT), at), null);
        }

        private void convert() {
            require(LifecycleCommand.CONVERT_LEAD);
            UUID deal = uuid();
            Money amount = amount(1_000, 100_000);
            open.put(deal, amount);
            LocalDate close = random.nextBoolean() ? null
                    : LocalDate.ofInstant(at, ZoneOffset.UTC).plusDays(30 + random.nextInt(120));
            record(new LeadConverted(id, deal, "Deal " + index, amount, close, company, stage, move(Stage.OPPORTUNITY),
                    at), null);
        }

        private void openUpsell() {
            require(LifecycleCommand.OPEN_OPPORTUNITY);
            UUID deal = uuid();
            Money amount = amount(500, 30_000);
            open.put(deal, amount);
            record(new OpportunityOpened(id, deal, "Upsell " + index + "-" + events.size(), amount, null, company, at),
                    null);
        }

        private void win() {
            require(LifecycleCommand.CLOSE_WON);
            Map.Entry<UUID, Money> deal = open.entrySet().iterator().next();
            open.remove(deal.getKey());
            boolean upsell = stage != Stage.OPPORTUNITY;
            Stage from = stage;
            record(new OpportunityWon(id, deal.getKey(), deal.getValue(), upsell, from,
                    upsell ? from : move(Stage.CUSTOMER), at), null);
        }

        private void lose(boolean endsTheContact) {
            require(LifecycleCommand.CLOSE_LOST);
            UUID deal = open.keySet().iterator().next();
            open.remove(deal);
            boolean upsell = stage != Stage.OPPORTUNITY;
            if (upsell == endsTheContact) {
                throw new IllegalStateException("a lost " + (upsell ? "upsell" : "deal") + " in stage " + stage);
            }
            String reason = LOSS_REASONS[random.nextInt(LOSS_REASONS.length)];
            Stage from = stage;
            record(new OpportunityLost(id, deal, reason, upsell, from, upsell ? from : move(Stage.LOST), at), reason);
        }

        private void disqualify() {
            require(LifecycleCommand.DISQUALIFY_LEAD);
            DisqualificationReason reason = DisqualificationReason.values()[random.nextInt(
                    DisqualificationReason.values().length)];
            String note = random.nextInt(3) == 0 ? "checked by phone" : null;
            record(new LeadDisqualified(id, reason, note, stage, move(Stage.DISQUALIFIED), at),
                    note == null ? reason.name() : reason.name() + ": " + note);
        }

        private void recycle(String reason) {
            require(LifecycleCommand.RECYCLE_CONTACT);
            record(new ContactRecycled(id, reason, stage, move(Stage.LEAD), at), reason);
        }

        private void advocate() {
            require(LifecycleCommand.MARK_ADVOCATE);
            AdvocacyReason reason = AdvocacyReason.values()[random.nextInt(AdvocacyReason.values().length)];
            record(new CustomerBecameAdvocate(id, reason, stage, move(Stage.ADVOCATE), at), reason.name());
        }

        /** The command side's own transition table decides; a generator bug must not seed an invalid history. */
        private void require(LifecycleCommand command) {
            if (!command.isAllowed(stage, open.size())) {
                throw new IllegalStateException(command.commandName() + " is not allowed in " + stage + " with "
                        + open.size() + " open opportunities");
            }
        }

        private Stage move(Stage to) {
            stage = to;
            return to;
        }

        private boolean isExit() {
            return stage == Stage.DISQUALIFIED || stage == Stage.LOST;
        }

        private void record(ContactEvent event, String reason) {
            Map<String, String> metaData = new HashMap<>(4);
            metaData.put(AuditMetaData.ACTOR, actor);
            metaData.put(AuditMetaData.CORRELATION_ID, uuid().toString());
            if (reason != null && !reason.isBlank()) {
                metaData.put(AuditMetaData.REASON, reason);
            }
            events.add(new GeneratedContact.Event(event, metaData));
        }

        // ------------------------------------------------------------------------------------------
        // Values

        private LeadSource skewedSource() {
            double total = 0;
            for (double weight : SOURCE_WEIGHTS) {
                total += weight;
            }
            double pick = random.nextDouble() * total;
            for (int i = 0; i < SOURCES.length; i++) {
                pick -= SOURCE_WEIGHTS[i];
                if (pick < 0) {
                    return SOURCES[i];
                }
            }
            return SOURCES[SOURCES.length - 1];
        }

        /** A quarter without campaign; the rest Zipf-like over 40 campaigns. */
        private String campaign() {
            if (random.nextInt(4) == 0) {
                return null;
            }
            return "campaign-" + zipf(40);
        }

        private String owner() {
            return "rep-" + zipf(30);
        }

        private int zipf(int n) {
            // rank r with probability ~ 1/r, by inverting the continuous approximation
            return Math.min(n, (int) Math.floor(Math.exp(random.nextDouble() * Math.log(n + 1))));
        }

        private Money amount(int min, int max) {
            long cents = (min + (long) (random.nextDouble() * random.nextDouble() * (max - min))) * 100;
            return new Money(BigDecimal.valueOf(cents, 2), CURRENCIES[random.nextInt(CURRENCIES.length)]);
        }

        private UUID uuid() {
            long most = (random.nextLong() & ~0xF000L) | 0x4000L;
            long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            return new UUID(most, least);
        }
    }
}
