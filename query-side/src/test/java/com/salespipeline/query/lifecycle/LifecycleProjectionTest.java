package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespipeline.events.LeadConverted;
import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Money;
import com.salespipeline.events.Stage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LifecycleProjectionTest {

    private static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

    private final ReadModelDatabase db = new ReadModelDatabase();

    private static Instant at(long hours) {
        return T0.plus(Duration.ofHours(hours));
    }

    @Test
    void captureCreatesTheContactItsFirstLeadVisitAndItsOwner() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEBINAR, "spring-24", "sam");
        db.applyAll(ada.events());

        Map<String, Object> row = contactRow(ada.contactId());
        assertThat(row).containsEntry("STAGE", "LEAD").containsEntry("SOURCE", "WEBINAR")
                .containsEntry("CAMPAIGN", "spring-24").containsEntry("OWNER", "sam")
                .containsEntry("VERSION", 0L).containsEntry("CAPTURED_MONTH", "2024-03");
        assertThat(visits(ada.contactId())).containsExactly("LEAD " + T0 + " open");
        assertThat(db.jdbc.queryForList("SELECT owner FROM read_owner_period WHERE contact_id = ?", String.class,
                ada.contactId())).containsExactly("sam");
    }

    @Test
    void eachStageChangeEndsOneVisitAndStartsTheNext() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null)
                .mql(at(1)).engage(at(2)).qualify(at(5)).convert(at(9)).win(at(20)).advocate(at(44));
        db.applyAll(ada.events());

        assertThat(visits(ada.contactId())).containsExactly(
                "LEAD " + at(0) + " 3600s", "MQL " + at(1) + " 14400s", "PROSPECT " + at(5) + " 14400s",
                "OPPORTUNITY " + at(9) + " 39600s", "CUSTOMER " + at(20) + " 86400s", "ADVOCATE " + at(44) + " open");
        Map<String, Object> row = contactRow(ada.contactId());
        assertThat(row).containsEntry("STAGE", "ADVOCATE").containsEntry("VERSION", 6L);
        assertThat(instant(row, "STAGE_ENTERED_AT")).isEqualTo(at(44));
        assertThat(instant(row, "ENTERED_MQL_AT")).isEqualTo(at(1));
        assertThat(instant(row, "REACHED_MQL_AT")).isEqualTo(at(1));
        assertThat(instant(row, "ENTERED_CUSTOMER_AT")).isEqualTo(at(20));
        assertThat(db.jdbc.queryForList("SELECT outcome FROM read_opportunity WHERE contact_id = ?", String.class,
                ada.contactId())).containsExactly("WON");
    }

    @Test
    void aSkippedMqlCountsAsReachedButNotAsEntered() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.REFERRAL, null, null).qualify(at(3));
        db.applyAll(ada.events());

        Map<String, Object> row = contactRow(ada.contactId());
        assertThat(row.get("ENTERED_MQL_AT")).isNull();
        assertThat(instant(row, "REACHED_MQL_AT")).isEqualTo(at(3));
        assertThat(instant(row, "REACHED_PROSPECT_AT")).isEqualTo(at(3));
        assertThat(instant(row, "ENTERED_PROSPECT_AT")).isEqualTo(at(3));
        assertThat(row.get("REACHED_OPPORTUNITY_AT")).isNull();
    }

    @Test
    void aRecycledContactVisitsLeadAgainAndKeepsItsFirstReachTimes() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.AD, null, null)
                .mql(at(1)).disqualify(at(2)).recycle(at(4)).mql(at(8));
        db.applyAll(ada.events());

        assertThat(visits(ada.contactId())).containsExactly("LEAD " + at(0) + " 3600s", "MQL " + at(1) + " 3600s",
                "DISQUALIFIED " + at(2) + " 7200s", "LEAD " + at(4) + " 14400s", "MQL " + at(8) + " open");
        assertThat(instant(contactRow(ada.contactId()), "ENTERED_MQL_AT")).isEqualTo(at(1));
    }

    @Test
    void upsellsAreWonAndLostWithoutLeavingTheStage() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.EVENT, null, null)
                .qualify(at(1)).convert(at(2)).win(at(3)).openUpsell(at(4)).openUpsell(at(5));
        List<UUID> upsells = ada.openOpportunities();
        ada.winUpsell(upsells.get(0), at(6)).advocate(at(7)).loseUpsell(upsells.get(1), at(8));
        db.applyAll(ada.events());

        assertThat(visits(ada.contactId())).containsExactly("LEAD " + at(0) + " 3600s",
                "PROSPECT " + at(1) + " 3600s", "OPPORTUNITY " + at(2) + " 3600s", "CUSTOMER " + at(3) + " 14400s",
                "ADVOCATE " + at(7) + " open");
        Map<String, Object> row = contactRow(ada.contactId());
        assertThat(row).containsEntry("STAGE", "ADVOCATE").containsEntry("VERSION", 8L);
        assertThat(instant(row, "STAGE_ENTERED_AT")).isEqualTo(at(7));
        assertThat(db.jdbc.queryForList("SELECT upsell || ':' || outcome FROM read_opportunity WHERE contact_id = ?"
                + " ORDER BY opened_at", String.class, ada.contactId()))
                .containsExactly("FALSE:WON", "TRUE:WON", "TRUE:LOST");
    }

    @Test
    void ownerChangesAreKeptAsPeriods() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.SOCIAL, null, null)
                .assign("sam", at(1)).assign("kim", at(5));
        db.applyAll(ada.events());

        assertThat(contactRow(ada.contactId())).containsEntry("OWNER", "kim");
        assertThat(db.jdbc.queryForList("SELECT COALESCE(owner, '-') || ' ' || valid_from || ' '"
                        + " || COALESCE(CAST(valid_to AS VARCHAR), 'open') FROM read_owner_period WHERE contact_id = ?"
                        + " ORDER BY from_seq", String.class, ada.contactId()))
                .hasSize(3).first().asString().startsWith("- ");
        assertThat(db.jdbc.queryForList("SELECT owner FROM read_owner_period WHERE contact_id = ? AND valid_to IS NULL",
                String.class, ada.contactId())).containsExactly("kim");
    }

    @Test
    void theSameEventAppliedTwiceGivesTheSameResult() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, "c", "sam")
                .mql(at(1)).assign("kim", at(2)).qualify(at(3)).convert(at(4)).lose(at(5)).recycle(at(6));
        for (Envelope event : ada.events()) {
            db.apply(event);
        }
        List<String> once = db.dump();

        ReadModelDatabase twice = new ReadModelDatabase();
        for (Envelope event : ada.events()) {
            twice.apply(event);
            twice.apply(event);
        }
        assertThat(twice.dump()).isEqualTo(once);

        // a late redelivery of everything, in order, as after a rewound token
        db.applyAll(ada.events());
        assertThat(db.dump()).isEqualTo(once);
    }

    @Test
    void anOldEventDeliveredAfterNewerOnesChangesNothing() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null)
                .mql(at(1)).qualify(at(2)).disqualify(at(3));
        db.applyAll(ada.events());
        List<String> before = db.dump();

        db.apply(ada.events().get(1));
        db.apply(ada.events().get(0));

        assertThat(db.dump()).isEqualTo(before);
        assertThat(contactRow(ada.contactId())).containsEntry("STAGE", "DISQUALIFIED");
    }

    @Test
    void manyContactsInterleavedEachGetTheirOwnHistory() {
        Random random = new Random(42);
        List<ContactHistory> contacts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // captured in reverse business-time order, so deliveries go back and forth in time across contacts
            Instant start = T0.minus(Duration.ofDays(i));
            ContactHistory history = ContactHistory.capture(start, LeadSource.values()[i % 10], "c" + (i % 3),
                    "owner" + (i % 4));
            history.mql(start.plusSeconds(60));
            if (i % 2 == 0) {
                history.qualify(start.plusSeconds(120)).convert(start.plusSeconds(180));
                if (i % 4 == 0) {
                    history.win(start.plusSeconds(240));
                } else {
                    history.lose(start.plusSeconds(240));
                }
            } else {
                history.disqualify(start.plusSeconds(100));
            }
            contacts.add(history);
        }
        db.applyAll(interleave(contacts, random));

        for (int i = 0; i < contacts.size(); i++) {
            ContactHistory history = contacts.get(i);
            Map<String, Object> row = contactRow(history.contactId());
            assertThat(row.get("STAGE")).isEqualTo(history.stage().name());
            assertThat(row.get("VERSION")).isEqualTo((long) history.events().size() - 1);
            assertThat(row.get("OWNER")).isEqualTo("owner" + (i % 4));
            assertThat(visits(history.contactId())).hasSize(history.events().size());
            assertThat(visits(history.contactId())).last().asString().endsWith(" open");
        }
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM read_stage_visit WHERE left_at IS NULL", Long.class))
                .isEqualTo(60L);
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM read_opportunity WHERE outcome = 'WON'", Long.class))
                .isEqualTo(15L);
    }

    @Test
    void anEventForAContactNeverCapturedFails() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null).mql(at(1));

        assertThatThrownBy(() -> db.apply(ada.events().get(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("never applied");
    }

    @Test
    void anEventThatDoesNotFitTheStageFailsAndChangesNothing() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null);
        db.applyAll(ada.events());
        List<String> before = db.dump();

        LeadConverted skipsQualification = new LeadConverted(ada.contactId(), UUID.randomUUID(), "Deal",
                new Money(BigDecimal.TEN, "EUR"), null, null, Stage.PROSPECT, Stage.OPPORTUNITY, at(1));
        assertThatThrownBy(() -> db.apply(new Envelope(skipsQualification, 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in LEAD");
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    void aFailureHalfwayThroughAnEventRollsBackItsClaim() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null)
                .qualify(at(1)).convert(at(2));
        db.applyAll(ada.events());
        List<String> before = db.dump();
        ContactHistory other = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null)
                .qualify(at(1)).convert(at(2)).win(at(3));
        // the win of an opportunity this contact never had: the claim succeeds, closing the opportunity fails
        com.salespipeline.events.OpportunityWon foreignWin = (com.salespipeline.events.OpportunityWon) other.events()
                .get(3).event();
        com.salespipeline.events.OpportunityWon wrong = new com.salespipeline.events.OpportunityWon(ada.contactId(),
                foreignWin.opportunityId(), foreignWin.amount(), false, Stage.OPPORTUNITY, Stage.CUSTOMER, at(3));

        assertThatThrownBy(() -> db.apply(new Envelope(wrong, 3))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("open opportunity");
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    void inAStreamingBatchAnEventThatFailsPartWayRollsTheBatchBackAndIsParkedAloneWhenTheBatchComesAgain() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null)
                .qualify(at(1)).convert(at(2));
        ContactHistory bob = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null).qualify(at(1));
        db.applyAll(ada.events());
        db.apply(bob.events().get(0));
        List<String> before = db.dump();
        Envelope wrongWin = new Envelope(foreignWin(ada), 3);
        List<Envelope> batch = List.of(bob.events().get(1), wrongWin);

        assertThatThrownBy(() -> db.applyAsStreamingBatch(batch, 10)).isInstanceOf(ApplyAgainWithSavepoint.class)
                .hasRootCauseInstanceOf(IllegalStateException.class).rootCause()
                .hasMessageContaining("event 3: expected one open opportunity");
        assertThat(db.dump()).as("the whole batch rolled back, the neighbour's event too").isEqualTo(before);

        // the processor reads the batch again from its token: the failed event is parked, its neighbour applied
        List<String> adaBefore = rowsOf(ada.contactId());
        assertThat(db.applyAsStreamingBatch(batch, 10)).containsExactly(wrongWin);
        assertThat(rowsOf(ada.contactId())).as("nothing of the failed event stayed").isEqualTo(adaBefore);
        assertThat(contactRow(bob.contactId()).get("stage")).isEqualTo("PROSPECT");
    }

    @Test
    void inAStreamingBatchEveryEventThatFailsPartWayIsParkedWhenTheBatchComesAgainOnce() {
        List<ContactHistory> broken = new ArrayList<>();
        List<Envelope> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ContactHistory contact = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null).qualify(at(1))
                    .convert(at(2));
            db.applyAll(contact.events());
            broken.add(contact);
            ContactHistory healthy = ContactHistory.capture(T0, LeadSource.AD, null, null).qualify(at(1));
            db.apply(healthy.events().get(0));
            batch.add(healthy.events().get(1));
            batch.add(new Envelope(foreignWin(contact), 3));
        }
        List<Envelope> failing = batch.stream().filter(e -> e.sequence() == 3).toList();

        assertThatThrownBy(() -> db.applyAsStreamingBatch(batch, 100)).isInstanceOf(ApplyAgainWithSavepoint.class);
        assertThat(db.applyAsStreamingBatch(batch, 100)).as("all six parked in the second reading")
                .containsExactlyElementsOf(failing);
        for (ContactHistory contact : broken) {
            assertThat(contactRow(contact.contactId()).get("version")).isEqualTo(2L);
        }
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM read_contact WHERE stage = 'PROSPECT'", Long.class))
                .isEqualTo(6);

        // a later batch, past the one that failed, runs without savepoints again and asks to be read again
        ContactHistory late = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null).qualify(at(1)).convert(at(2));
        db.applyAll(late.events());
        assertThatThrownBy(() -> db.applyAsStreamingBatch(List.of(new Envelope(foreignWin(late), 3)), 200))
                .isInstanceOf(ApplyAgainWithSavepoint.class);
    }

    @Test
    void theBatchReadAgainMayHoldMoreEventsThanTheFailedOneAndEveryOneThatFailsIsParked() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null).qualify(at(1)).convert(at(2));
        ContactHistory cy = ContactHistory.capture(T0, LeadSource.AD, null, null).qualify(at(1)).convert(at(2));
        ContactHistory bob = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null).qualify(at(1));
        db.applyAll(ada.events());
        db.applyAll(cy.events());
        db.apply(bob.events().get(0));
        Envelope adaFails = new Envelope(foreignWin(ada), 3);
        Envelope cyFails = new Envelope(foreignWin(cy), 3);

        assertThatThrownBy(() -> db.applyAsStreamingBatch(List.of(bob.events().get(1), adaFails), 10))
                .isInstanceOf(ApplyAgainWithSavepoint.class);
        // read again from the same token, with an event that arrived meanwhile and fails part-way too
        assertThat(db.applyAsStreamingBatch(List.of(bob.events().get(1), adaFails, cyFails), 10))
                .containsExactly(adaFails, cyFails);
        assertThat(contactRow(bob.contactId()).get("stage")).isEqualTo("PROSPECT");
        assertThat(contactRow(cy.contactId()).get("version")).isEqualTo(2L);
    }

    @Test
    void inAStreamingBatchAnEventRefusedBeforeWritingAnythingIsParkedAtOnceWithoutARetry() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null).mql(at(1));
        ContactHistory bob = ContactHistory.capture(T0, LeadSource.AD, null, null);
        Envelope neverCaptured = ada.events().get(1);

        assertThat(db.applyAsStreamingBatch(List.of(neverCaptured, bob.events().get(0)), 1))
                .containsExactly(neverCaptured);
        assertThat(contactRow(bob.contactId()).get("stage")).isEqualTo("LEAD");
        assertThatThrownBy(() -> db.apply(neverCaptured)).isInstanceOf(EventRefused.class)
                .hasMessageContaining("never applied");
    }

    /** The win of an opportunity the contact never had: the claim succeeds, closing the opportunity fails. */
    private static com.salespipeline.events.OpportunityWon foreignWin(ContactHistory contact) {
        UUID foreignOpportunity = UUID.randomUUID();
        return new com.salespipeline.events.OpportunityWon(contact.contactId(), foreignOpportunity,
                new Money(BigDecimal.TEN, "EUR"), false, Stage.OPPORTUNITY, Stage.CUSTOMER, at(3));
    }

    private List<String> rowsOf(UUID contactId) {
        return db.dump().stream().filter(row -> row.contains(contactId.toString())).toList();
    }

    /** Merges the contacts' histories in a random order that keeps each contact's own order. */
    public static List<Envelope> interleave(List<ContactHistory> contacts, Random random) {
        List<List<Envelope>> queues = new ArrayList<>();
        for (ContactHistory contact : contacts) {
            queues.add(new ArrayList<>(contact.events()));
        }
        List<Envelope> merged = new ArrayList<>();
        while (!queues.isEmpty()) {
            int pick = random.nextInt(queues.size());
            merged.add(queues.get(pick).remove(0));
            if (queues.get(pick).isEmpty()) {
                queues.remove(pick);
            }
        }
        return merged;
    }

    private Map<String, Object> contactRow(UUID contactId) {
        return db.jdbc.queryForMap("SELECT * FROM read_contact WHERE contact_id = ?", contactId);
    }

    private static Instant instant(Map<String, Object> row, String column) {
        return ((java.time.OffsetDateTime) row.get(column)).toInstant();
    }

    private List<String> visits(UUID contactId) {
        return db.jdbc.query("SELECT * FROM read_stage_visit WHERE contact_id = ? ORDER BY entered_seq",
                (rs, n) -> rs.getString("stage") + " " + Timestamps.fromDb(rs, "entered_at") + " "
                        + (rs.getObject("duration_micros") == null ? "open"
                        : rs.getLong("duration_micros") / 1_000_000 + "s"), contactId);
    }
}
