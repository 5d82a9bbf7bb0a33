package com.salespipeline.benchmarks.seed;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.contact.BusinessTime;
import com.salespipeline.command.contact.CaptureLeadHandler;
import com.salespipeline.command.contact.Commands.AssignOwner;
import com.salespipeline.command.contact.Commands.CaptureLead;
import com.salespipeline.command.contact.Commands.CloseLost;
import com.salespipeline.command.contact.Commands.CloseWon;
import com.salespipeline.command.contact.Commands.ConvertLead;
import com.salespipeline.command.contact.Commands.DisqualifyLead;
import com.salespipeline.command.contact.Commands.MarkAdvocate;
import com.salespipeline.command.contact.Commands.MarkMarketingQualified;
import com.salespipeline.command.contact.Commands.OpenOpportunity;
import com.salespipeline.command.contact.Commands.QualifyLead;
import com.salespipeline.command.contact.Commands.RecordEngagement;
import com.salespipeline.command.contact.Commands.RecycleContact;
import com.salespipeline.command.contact.Contact;
import com.salespipeline.command.contact.QualificationPolicy;
import com.salespipeline.command.store.JdbcContactRegistry;
import com.salespipeline.common.schema.SchemaMigration;
import com.salespipeline.events.ContactEvent;
import com.salespipeline.events.ContactRecycled;
import com.salespipeline.events.CustomerBecameAdvocate;
import com.salespipeline.events.EngagementRecorded;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadConverted;
import com.salespipeline.events.LeadDisqualified;
import com.salespipeline.events.LeadMarketingQualified;
import com.salespipeline.events.LeadQualified;
import com.salespipeline.events.LeadSource;
import com.salespipeline.events.OpportunityLost;
import com.salespipeline.events.OpportunityOpened;
import com.salespipeline.events.OpportunityWon;
import com.salespipeline.events.OwnerAssigned;
import com.salespipeline.events.Stage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Generated histories are ones the aggregate would have produced: each event is turned back into the command
 * that asks for it, sent to the real Contact aggregate given the events before it, and must be accepted with
 * exactly that event. The registry is the command side's JDBC one on an in-memory H2.
 */
class GeneratedHistoriesAreAcceptedTest {

    static final Instant NOW = Instant.now();
    final HistoryGenerator generator = new HistoryGenerator(7, NOW, "bench-service");
    final BusinessTime time = new BusinessTime(Clock.systemUTC(), Duration.ofSeconds(5));
    JdbcContactRegistry registry;

    @BeforeEach
    void setUp() {
        DriverManagerDataSource registryDatabase = new DriverManagerDataSource(
                "jdbc:h2:mem:registry-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        SchemaMigration.migrate(registryDatabase, "command");
        registry = new JdbcContactRegistry(new JdbcTemplate(registryDatabase));
    }

    /** A fixture per contact: a fixture stays with the aggregate identifier it was first given. */
    private FixtureConfiguration<Contact> fixture() {
        AggregateTestFixture<Contact> fixture = new AggregateTestFixture<>(Contact.class);
        fixture.registerInjectableResource(time);
        fixture.registerInjectableResource(QualificationPolicy.standard());
        fixture.registerAnnotatedCommandHandler(new CaptureLeadHandler(fixture.getRepository(), registry, time));
        return fixture;
    }

    @Test
    void everyGeneratedEventIsWhatTheAggregateAnswersToItsCommand() {
        for (long i = 0; i < 600; i++) {
            acceptStepByStep(generator.contact(i));
        }
    }

    @Test
    void aLongHistoryIsAcceptedAndHasExactlyTheAskedNumberOfEvents() {
        GeneratedContact contact = generator.longHistory(0, 1000);
        assertThat(contact.events()).hasSize(1000);
        assertThat(contact.events()).extracting(e -> e.payload().getClass().getSimpleName())
                .contains("LeadQualified", "OpportunityWon", "CustomerBecameAdvocate", "OpportunityOpened",
                        "OpportunityLost", "OwnerAssigned");
        acceptStepByStep(contact);
    }

    @Test
    void thePopulationHasTheLifecyclesShape() {
        Map<Stage, Integer> stages = new EnumMap<>(Stage.class);
        Map<LeadSource, Integer> sources = new EnumMap<>(LeadSource.class);
        int recycled = 0;
        int ownerChanges = 0;
        int upsells = 0;
        int n = 5000;
        for (long i = 0; i < n; i++) {
            GeneratedContact contact = generator.contact(i);
            stages.merge(contact.stage(), 1, Integer::sum);
            LeadCaptured captured = (LeadCaptured) contact.events().get(0).payload();
            sources.merge(captured.source(), 1, Integer::sum);
            assertThat(captured.occurredAt()).isBetween(NOW.minus(HistoryGenerator.SPAN), NOW);
            Instant previous = captured.occurredAt();
            for (GeneratedContact.Event event : contact.events()) {
                assertThat(event.payload().occurredAt()).isAfterOrEqualTo(previous).isBefore(NOW);
                previous = event.payload().occurredAt();
                recycled += event.payload() instanceof ContactRecycled ? 1 : 0;
                ownerChanges += event.payload() instanceof OwnerAssigned ? 1 : 0;
                upsells += event.payload() instanceof OpportunityOpened ? 1 : 0;
            }
        }
        int stalledEarly = stages.getOrDefault(Stage.LEAD, 0) + stages.getOrDefault(Stage.MQL, 0);
        int customers = stages.getOrDefault(Stage.CUSTOMER, 0) + stages.getOrDefault(Stage.ADVOCATE, 0);
        assertThat(stalledEarly).as("leads that stall before sales").isGreaterThan(n / 2);
        assertThat(customers).as("customers and advocates").isBetween(n / 100, n / 10);
        assertThat(stages.getOrDefault(Stage.DISQUALIFIED, 0)).isGreaterThan(n / 20);
        assertThat(stages.getOrDefault(Stage.LOST, 0)).isGreaterThan(0);
        assertThat(recycled).isGreaterThan(n / 100);
        assertThat(ownerChanges).isGreaterThan(n / 10);
        assertThat(upsells).isGreaterThan(0);
        assertThat(sources.get(LeadSource.WEB_FORM)).as("the most common source")
                .isGreaterThan(sources.get(LeadSource.AD)).isGreaterThan(3 * sources.get(LeadSource.REFERRAL));
    }

    @Test
    void theSameSeedGivesTheSameContactsAndAnotherSeedOthers() {
        HistoryGenerator again = new HistoryGenerator(7, NOW, "bench-service");
        HistoryGenerator other = new HistoryGenerator(8, NOW, "bench-service");
        for (long i = 0; i < 50; i++) {
            GeneratedContact contact = generator.contact(i);
            assertThat(again.contact(i).events()).extracting(GeneratedContact.Event::payload)
                    .isEqualTo(contact.events().stream().map(GeneratedContact.Event::payload).toList());
            assertThat(other.contact(i).contactId()).isNotEqualTo(contact.contactId());
        }
    }

    private void acceptStepByStep(GeneratedContact contact) {
        FixtureConfiguration<Contact> fixture = fixture();
        List<Object> given = new ArrayList<>();
        for (GeneratedContact.Event event : contact.events()) {
            ContactEvent expected = event.payload();
            (given.isEmpty() ? fixture.givenNoPriorActivity() : fixture.given(given))
                    .when(commandFor(expected))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(expected);
            given.add(expected);
        }
    }

    /** The command that an API client would send to get this event. */
    static Object commandFor(ContactEvent event) {
        if (event instanceof LeadCaptured e) {
            return new CaptureLead(e.contactId(), e.name(), e.email(), e.phone(), e.company(), e.jobTitle(),
                    e.source(), e.campaign(), e.owner(), e.occurredAt());
        } else if (event instanceof EngagementRecorded e) {
            return new RecordEngagement(e.contactId(), null, e.type(), e.note(), e.occurredAt());
        } else if (event instanceof OwnerAssigned e) {
            return new AssignOwner(e.contactId(), null, e.owner(), e.occurredAt());
        } else if (event instanceof LeadMarketingQualified e) {
            return new MarkMarketingQualified(e.contactId(), null, e.score(), e.occurredAt());
        } else if (event instanceof LeadQualified e) {
            return new QualifyLead(e.contactId(), null, e.budget(), e.authority(), e.need(), e.timeline(),
                    e.occurredAt());
        } else if (event instanceof LeadConverted e) {
            return new ConvertLead(e.contactId(), null, e.opportunityId(), e.opportunityName(), e.amount(),
                    e.expectedCloseDate(), e.accountName(), e.occurredAt());
        } else if (event instanceof OpportunityOpened e) {
            return new OpenOpportunity(e.contactId(), null, e.opportunityId(), e.opportunityName(), e.amount(),
                    e.expectedCloseDate(), e.accountName(), e.occurredAt());
        } else if (event instanceof OpportunityWon e) {
            return new CloseWon(e.contactId(), null, e.opportunityId(), null, e.occurredAt());
        } else if (event instanceof OpportunityLost e) {
            return new CloseLost(e.contactId(), null, e.opportunityId(), e.reason(), e.occurredAt());
        } else if (event instanceof LeadDisqualified e) {
            return new DisqualifyLead(e.contactId(), null, e.reason(), e.note(), e.occurredAt());
        } else if (event instanceof ContactRecycled e) {
            return new RecycleContact(e.contactId(), null, e.reason(), e.occurredAt());
        } else if (event instanceof CustomerBecameAdvocate e) {
            return new MarkAdvocate(e.contactId(), null, e.reason(), e.occurredAt());
        }
        throw new IllegalArgumentException("no command for " + event);
    }
}
