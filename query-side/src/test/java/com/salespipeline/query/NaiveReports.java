package com.salespipeline.query;

import com.salespipeline.events.ContactEvent;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.OpportunityLost;
import com.salespipeline.events.OpportunityWon;
import com.salespipeline.events.OwnerAssigned;
import com.salespipeline.events.Stage;
import com.salespipeline.events.StageChanged;
import com.salespipeline.query.lifecycle.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * The reports of domain.md recomputed the slow, obvious way: from the raw events of every contact,
 * replayed up to asOf, with no read model, no SQL and none of the production arithmetic. The property
 * test holds the real reports to this.
 */
final class NaiveReports {

    static final List<Stage> FUNNEL = List.of(Stage.LEAD, Stage.MQL, Stage.PROSPECT, Stage.OPPORTUNITY,
            Stage.CUSTOMER, Stage.ADVOCATE);

    /** A report's question, every field but asOf optional. groupBy is source|campaign|owner|cohortMonth. */
    record Question(Instant from, Instant to, Instant asOf, String source, String campaign, String owner) {
    }

    /** One contact as it stood at asOf. */
    static final class Contact {
        UUID id;
        String source;
        String campaign;
        String owner;
        Instant capturedAt;
        Stage stage;
        final Set<Stage> entered = new HashSet<>();
        final List<Visit> visits = new ArrayList<>();
        int won;
        int lost;
    }

    record Visit(Stage stage, Instant start, Instant end) {
    }

    private final Map<UUID, List<Envelope>> histories = new LinkedHashMap<>();

    NaiveReports(List<Envelope> delivered) {
        for (Envelope envelope : delivered) {
            List<Envelope> history = histories.computeIfAbsent(envelope.event().contactId(), id -> new ArrayList<>());
            if (history.stream().noneMatch(e -> e.sequence() == envelope.sequence())) {
                history.add(envelope);
            }
        }
        histories.values().forEach(h -> h.sort(Comparator.comparingLong(Envelope::sequence)));
    }

    /** The cohort's contacts as they stood at asOf. */
    List<Contact> cohort(Question q) {
        List<Contact> cohort = new ArrayList<>();
        for (List<Envelope> history : histories.values()) {
            Contact c = replay(history, q.asOf());
            if (c == null) {
                continue;
            }
            boolean in = (q.from() == null || !c.capturedAt.isBefore(q.from()))
                    && (q.to() == null || c.capturedAt.isBefore(q.to()))
                    && (q.source() == null || q.source().equals(c.source))
                    && (q.campaign() == null || q.campaign().equals(c.campaign))
                    && (q.owner() == null || q.owner().equals(c.owner));
            if (in) {
                cohort.add(c);
            }
        }
        return cohort;
    }

    private static Contact replay(List<Envelope> history, Instant asOf) {
        Contact c = null;
        for (Envelope envelope : history) {
            ContactEvent event = envelope.event();
            if (event.occurredAt().isAfter(asOf)) {
                continue;
            }
            if (event instanceof LeadCaptured captured) {
                c = new Contact();
                c.id = captured.contactId();
                c.source = captured.source().name();
                c.campaign = captured.campaign();
                c.owner = captured.owner();
                c.capturedAt = captured.occurredAt();
            }
            if (event instanceof OwnerAssigned assigned) {
                c.owner = assigned.owner();
            }
            if (event instanceof OpportunityWon) {
                c.won++;
            }
            if (event instanceof OpportunityLost) {
                c.lost++;
            }
            if (event instanceof StageChanged change && change.fromStage() != change.toStage()) {
                if (!c.visits.isEmpty()) {
                    Visit open = c.visits.remove(c.visits.size() - 1);
                    c.visits.add(new Visit(open.stage(), open.start(), event.occurredAt()));
                }
                c.visits.add(new Visit(change.toStage(), event.occurredAt(), null));
                c.stage = change.toStage();
                c.entered.add(change.toStage());
            }
        }
        return c;
    }

    /**
     * The cohort's contacts that stood in {@code stage} (any when null) at asOf, in order of capture and then of id as
     * the databases order UUIDs (their bytes unsigned, as the text of the id sorts).
     */
    List<Contact> contactsAsOf(Question q, Stage stage) {
        return cohort(q).stream().filter(c -> stage == null || c.stage == stage)
                .sorted(Comparator.comparing((Contact c) -> c.capturedAt).thenComparing(c -> c.id.toString()))
                .toList();
    }

    /** When {@code c} entered the stage it stood in. */
    static Instant stageEnteredAt(Contact c) {
        return c.visits.get(c.visits.size() - 1).start();
    }

    /** Contacts standing in {@code stage} (any when null) after every event, of the source, campaign and owner given. */
    long contactsNow(Stage stage, String source, String campaign, String owner) {
        return cohort(new Question(null, null, Instant.MAX, source, campaign, owner)).stream()
                .filter(c -> stage == null || c.stage == stage).count();
    }

    static boolean reached(Contact c, Stage stage, boolean cumulative) {
        if (!cumulative) {
            return c.entered.contains(stage);
        }
        for (Stage entered : c.entered) {
            if (entered.isFunnelStage() && FUNNEL.indexOf(entered) >= FUNNEL.indexOf(stage)) {
                return true;
            }
        }
        return false;
    }

    // ---- funnel: stage -> [reached, current], and exits

    Map<Stage, long[]> funnel(Question q, boolean cumulative) {
        Map<Stage, long[]> counts = new LinkedHashMap<>();
        List<Contact> cohort = cohort(q);
        for (Stage stage : Stage.values()) {
            long reached = stage.isFunnelStage() ? cohort.stream().filter(c -> reached(c, stage, cumulative)).count() : -1;
            long current = cohort.stream().filter(c -> c.stage == stage).count();
            counts.put(stage, new long[] {reached, current});
        }
        return counts;
    }

    // ---- conversion rates: group -> [reached per funnel stage..., won, closed]

    Map<String, long[]> conversion(Question q, String groupBy) {
        Function<Contact, String> key = switch (groupBy == null ? "" : groupBy) {
            case "source" -> c -> c.source;
            case "campaign" -> c -> c.campaign;
            case "owner" -> c -> c.owner;
            case "cohortMonth" -> c -> String.format("%04d-%02d", c.capturedAt.atZone(ZoneOffset.UTC).getYear(),
                    c.capturedAt.atZone(ZoneOffset.UTC).getMonthValue());
            default -> c -> "all";
        };
        Map<String, long[]> groups = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        if (groupBy == null) {
            groups.put("all", new long[FUNNEL.size() + 2]);
        }
        for (Contact c : cohort(q)) {
            long[] counts = groups.computeIfAbsent(key.apply(c), k -> new long[FUNNEL.size() + 2]);
            for (int i = 0; i < FUNNEL.size(); i++) {
                if (reached(c, FUNNEL.get(i), true)) {
                    counts[i]++;
                }
            }
            counts[FUNNEL.size()] += c.won;
            counts[FUNNEL.size() + 1] += c.won + c.lost;
        }
        return groups;
    }

    // ---- stage durations, all in microseconds

    record Durations(List<Long> completed, List<Long> openAges) {

        /** The smallest value with at least p% of the values at or below it, found by looking at each. */
        Long percentile(int p) {
            Long best = null;
            for (long candidate : completed) {
                long atOrBelow = completed.stream().filter(v -> v <= candidate).count();
                if (atOrBelow * 100 >= (long) p * completed.size() && (best == null || candidate < best)) {
                    best = candidate;
                }
            }
            return best;
        }
    }

    Map<Stage, Durations> durations(Question q) {
        Map<Stage, Durations> byStage = new LinkedHashMap<>();
        for (Stage stage : FUNNEL) {
            byStage.put(stage, new Durations(new ArrayList<>(), new ArrayList<>()));
        }
        for (Contact c : cohort(q)) {
            for (Visit visit : c.visits) {
                Durations durations = byStage.get(visit.stage());
                if (durations == null) {
                    continue;
                }
                if (visit.end() != null) {
                    durations.completed().add(micros(Duration.between(visit.start(), visit.end())));
                } else {
                    durations.openAges().add(micros(Duration.between(visit.start(), q.asOf())));
                }
            }
        }
        return byStage;
    }

    private static long micros(Duration duration) {
        return duration.getSeconds() * 1_000_000 + duration.getNano() / 1_000;
    }
}
