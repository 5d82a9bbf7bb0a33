package com.salespipeline.command.contact;

import static org.assertj.core.api.Assertions.assertThat;

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
import com.salespipeline.events.AdvocacyReason;
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
import com.salespipeline.events.Stage;
import com.salespipeline.events.StageChanged;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ContactTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Duration SKEW = Duration.ofSeconds(5);
    static final Instant START = Instant.parse("2026-02-01T09:00:00Z");

    static final UUID ID = UUID.fromString("00000000-0000-4000-8000-00000000c0de");
    static final UUID OTHER_CONTACT = UUID.fromString("00000000-0000-4000-8000-00000000beef");
    static final UUID DEAL = UUID.fromString("00000000-0000-4000-8000-000000000d01");
    static final UUID UPSELL = UUID.fromString("00000000-0000-4000-8000-000000000d02");
    static final UUID SECOND_UPSELL = UUID.fromString("00000000-0000-4000-8000-000000000d03");
    static final UUID NEW_DEAL = UUID.fromString("00000000-0000-4000-8000-000000000d04");
    static final UUID UNKNOWN_DEAL = UUID.fromString("00000000-0000-4000-8000-000000000d99");

    static final Money DEAL_AMOUNT = new Money(new BigDecimal("12000.00"), "EUR");
    static final Money UPSELL_AMOUNT = new Money(new BigDecimal("3000.00"), "GBP");
    static final Money SECOND_UPSELL_AMOUNT = new Money(new BigDecimal("450.00"), "GBP");
    static final Money NEW_AMOUNT = new Money(new BigDecimal("5000.00"), "USD");
    static final LocalDate CLOSE_DATE = LocalDate.parse("2026-06-30");

    private final InMemoryContactRegistry registry = new InMemoryContactRegistry();
    private final BusinessTime time = new BusinessTime(Clock.fixed(NOW, ZoneOffset.UTC), SKEW);
    private FixtureConfiguration<Contact> fixture;

    @BeforeEach
    void setUp() {
        fixture = fixtureWith(QualificationPolicy.standard());
    }

    private FixtureConfiguration<Contact> fixtureWith(QualificationPolicy policy) {
        AggregateTestFixture<Contact> configured = new AggregateTestFixture<>(Contact.class);
        configured.registerInjectableResource(time);
        configured.registerInjectableResource(policy);
        configured.registerAnnotatedCommandHandler(
                new CaptureLeadHandler(configured.getRepository(), registry, time));
        return configured;
    }

    // ----------------------------------------------------------------------------------------------
    // Histories: the events that put a contact into each stage, each event an hour after the one before.

    static Instant hour(int n) {
        return START.plus(Duration.ofHours(n));
    }

    static LeadCaptured captured() {
        return new LeadCaptured(ID, "Ada", "Lovelace", "ada@example.com", "+44 20 7946 0000", "Analytical Engines",
                "CTO", LeadSource.REFERRAL, "spring-2026", "alex", null, Stage.LEAD, hour(0));
    }

    static List<Object> lead() {
        return List.of(captured(),
                new EngagementRecorded(ID, EngagementType.CALL_HELD, true, "discovery call", hour(1)));
    }

    static List<Object> mql() {
        return plus(lead(), new LeadMarketingQualified(ID, 70, Stage.LEAD, Stage.MQL, hour(2)));
    }

    static List<Object> prospect() {
        return plus(mql(), new LeadQualified(ID, "50k", "the CTO signs", "new website", "Q2", Stage.MQL,
                Stage.PROSPECT, hour(3)));
    }

    static List<Object> opportunity() {
        return plus(prospect(), new LeadConverted(ID, DEAL, "Website rebuild", DEAL_AMOUNT, CLOSE_DATE,
                "Analytical Engines", Stage.PROSPECT, Stage.OPPORTUNITY, hour(4)));
    }

    static List<Object> customer() {
        return plus(opportunity(),
                new OpportunityWon(ID, DEAL, DEAL_AMOUNT, false, Stage.OPPORTUNITY, Stage.CUSTOMER, hour(5)));
    }

    static List<Object> advocate() {
        return plus(customer(),
                new CustomerBecameAdvocate(ID, AdvocacyReason.RENEWED, Stage.CUSTOMER, Stage.ADVOCATE, hour(6)));
    }

    static List<Object> disqualified() {
        return plus(lead(), new LeadDisqualified(ID, DisqualificationReason.NO_BUDGET, null, Stage.LEAD,
                Stage.DISQUALIFIED, hour(2)));
    }

    static List<Object> lost() {
        return plus(opportunity(), new OpportunityLost(ID, DEAL, "chose a competitor", false, Stage.OPPORTUNITY,
                Stage.LOST, hour(5)));
    }

    static List<Object> withUpsell(List<Object> history) {
        return plus(history, upsellOpened(UPSELL, UPSELL_AMOUNT, hour(10)));
    }

    static List<Object> withTwoUpsells(List<Object> history) {
        return plus(withUpsell(history), upsellOpened(SECOND_UPSELL, SECOND_UPSELL_AMOUNT, hour(11)));
    }

    static OpportunityOpened upsellOpened(UUID opportunity, Money amount, Instant at) {
        return new OpportunityOpened(ID, opportunity, "Support plan", amount, null, null, at);
    }

    static List<Object> plus(List<Object> history, Object... events) {
        List<Object> all = new ArrayList<>(history);
        all.addAll(Arrays.asList(events));
        return List.copyOf(all);
    }

    /** The version of a contact after {@code history}: the sequence number of its last event. */
    static long versionAfter(List<Object> history) {
        return history.size() - 1L;
    }

    // ----------------------------------------------------------------------------------------------
    // The transition table of domain.md, transcribed literally (not read from LifecycleCommand).

    enum Given {
        LEAD(Stage.LEAD, ContactTest::lead, null, null,
                "RecordEngagement", "AssignOwner", "MarkMarketingQualified", "QualifyLead", "DisqualifyLead"),
        MQL(Stage.MQL, ContactTest::mql, null, null,
                "RecordEngagement", "AssignOwner", "QualifyLead", "DisqualifyLead"),
        PROSPECT(Stage.PROSPECT, ContactTest::prospect, null, null,
                "RecordEngagement", "AssignOwner", "ConvertLead", "DisqualifyLead"),
        OPPORTUNITY(Stage.OPPORTUNITY, ContactTest::opportunity, DEAL, DEAL_AMOUNT,
                "RecordEngagement", "AssignOwner", "CloseWon", "CloseLost"),
        CUSTOMER(Stage.CUSTOMER, ContactTest::customer, null, null,
                "RecordEngagement", "AssignOwner", "OpenOpportunity", "MarkAdvocate"),
        CUSTOMER_WITH_OPEN_UPSELL(Stage.CUSTOMER, () -> withUpsell(customer()), UPSELL, UPSELL_AMOUNT,
                "RecordEngagement", "AssignOwner", "OpenOpportunity", "MarkAdvocate", "CloseWon", "CloseLost"),
        ADVOCATE(Stage.ADVOCATE, ContactTest::advocate, null, null,
                "RecordEngagement", "AssignOwner", "OpenOpportunity"),
        ADVOCATE_WITH_OPEN_UPSELL(Stage.ADVOCATE, () -> withUpsell(advocate()), UPSELL, UPSELL_AMOUNT,
                "RecordEngagement", "AssignOwner", "OpenOpportunity", "CloseWon", "CloseLost"),
        DISQUALIFIED(Stage.DISQUALIFIED, ContactTest::disqualified, null, null,
                "RecordEngagement", "AssignOwner", "RecycleContact"),
        LOST(Stage.LOST, ContactTest::lost, null, null,
                "RecordEngagement", "AssignOwner", "RecycleContact");

        final Stage stage;
        final Supplier<List<Object>> history;
        final UUID openOpportunity;
        final Money openAmount;
        final Set<String> allowed;

        Given(Stage stage, Supplier<List<Object>> history, UUID openOpportunity, Money openAmount,
              String... allowed) {
            this.stage = stage;
            this.history = history;
            this.openOpportunity = openOpportunity;
            this.openAmount = openAmount;
            this.allowed = Set.of(allowed);
        }
    }

    /** One command of each kind, as sent to contact {@link #ID}, and the event it must produce if allowed. */
    enum Sent {
        RECORD_ENGAGEMENT("RecordEngagement") {
            Object command() {
                return new RecordEngagement(ID, null, EngagementType.MEETING_HELD, "kick-off", null);
            }

            Object expectedEvent(Given given) {
                return new EngagementRecorded(ID, EngagementType.MEETING_HELD, true, "kick-off", NOW);
            }
        },
        ASSIGN_OWNER("AssignOwner") {
            Object command() {
                return new AssignOwner(ID, null, "sam", null);
            }

            Object expectedEvent(Given given) {
                return new OwnerAssigned(ID, "sam", "alex", NOW);
            }
        },
        MARK_MARKETING_QUALIFIED("MarkMarketingQualified") {
            Object command() {
                return new MarkMarketingQualified(ID, null, 80, null);
            }

            Object expectedEvent(Given given) {
                return new LeadMarketingQualified(ID, 80, given.stage, Stage.MQL, NOW);
            }
        },
        QUALIFY_LEAD("QualifyLead") {
            Object command() {
                return new QualifyLead(ID, null, "50k", "the CTO signs", "new website", "Q2", null);
            }

            Object expectedEvent(Given given) {
                return new LeadQualified(ID, "50k", "the CTO signs", "new website", "Q2", given.stage,
                        Stage.PROSPECT, NOW);
            }
        },
        CONVERT_LEAD("ConvertLead") {
            Object command() {
                return new ConvertLead(ID, null, NEW_DEAL, "Website rebuild", NEW_AMOUNT, CLOSE_DATE, "AE Ltd", null);
            }

            Object expectedEvent(Given given) {
                return new LeadConverted(ID, NEW_DEAL, "Website rebuild", NEW_AMOUNT, CLOSE_DATE, "AE Ltd",
                        given.stage, Stage.OPPORTUNITY, NOW);
            }

            UUID opened() {
                return NEW_DEAL;
            }
        },
        CLOSE_WON("CloseWon") {
            Object command() {
                return new CloseWon(ID, null, null, null, null);
            }

            Object expectedEvent(Given given) {
                return given.stage == Stage.OPPORTUNITY
                        ? new OpportunityWon(ID, given.openOpportunity, given.openAmount, false, Stage.OPPORTUNITY,
                        Stage.CUSTOMER, NOW)
                        : new OpportunityWon(ID, given.openOpportunity, given.openAmount, true, given.stage,
                        given.stage, NOW);
            }
        },
        CLOSE_LOST("CloseLost") {
            Object command() {
                return new CloseLost(ID, null, null, "no budget left", null);
            }

            Object expectedEvent(Given given) {
                return given.stage == Stage.OPPORTUNITY
                        ? new OpportunityLost(ID, given.openOpportunity, "no budget left", false, Stage.OPPORTUNITY,
                        Stage.LOST, NOW)
                        : new OpportunityLost(ID, given.openOpportunity, "no budget left", true, given.stage,
                        given.stage, NOW);
            }
        },
        OPEN_OPPORTUNITY("OpenOpportunity") {
            Object command() {
                return new OpenOpportunity(ID, null, NEW_DEAL, "Support plan", NEW_AMOUNT, CLOSE_DATE, "AE Ltd", null);
            }

            Object expectedEvent(Given given) {
                return new OpportunityOpened(ID, NEW_DEAL, "Support plan", NEW_AMOUNT, CLOSE_DATE, "AE Ltd", NOW);
            }

            UUID opened() {
                return NEW_DEAL;
            }
        },
        DISQUALIFY_LEAD("DisqualifyLead") {
            Object command() {
                return new DisqualifyLead(ID, null, DisqualificationReason.NOT_ICP, "too small", null);
            }

            Object expectedEvent(Given given) {
                return new LeadDisqualified(ID, DisqualificationReason.NOT_ICP, "too small", given.stage,
                        Stage.DISQUALIFIED, NOW);
            }
        },
        RECYCLE_CONTACT("RecycleContact") {
            Object command() {
                return new RecycleContact(ID, null, "new budget year", null);
            }

            Object expectedEvent(Given given) {
                return new ContactRecycled(ID, "new budget year", given.stage, Stage.LEAD, NOW);
            }
        },
        MARK_ADVOCATE("MarkAdvocate") {
            Object command() {
                return new MarkAdvocate(ID, null, AdvocacyReason.REFERRED, null);
            }

            Object expectedEvent(Given given) {
                return new CustomerBecameAdvocate(ID, AdvocacyReason.REFERRED, given.stage, Stage.ADVOCATE, NOW);
            }
        };

        final String domainName;

        Sent(String domainName) {
            this.domainName = domainName;
        }

        abstract Object command();

        abstract Object expectedEvent(Given given);

        /** The opportunity the command opens, reported in its outcome. */
        UUID opened() {
            return null;
        }
    }

    static Stream<Arguments> allowedCells() {
        return cells(true);
    }

    static Stream<Arguments> refusedCells() {
        return cells(false);
    }

    private static Stream<Arguments> cells(boolean allowed) {
        return Arrays.stream(Given.values()).flatMap(given -> Arrays.stream(Sent.values())
                .filter(sent -> given.allowed.contains(sent.domainName) == allowed)
                .map(sent -> Arguments.of(given, sent)));
    }

    @Test
    void theMatrixCoversEveryStageAndEveryCommandOfTheTable() {
        assertThat(Arrays.stream(Given.values()).map(given -> given.stage).collect(Collectors.toSet()))
                .isEqualTo(EnumSet.allOf(Stage.class));
        Set<String> commandNames = Arrays.stream(Sent.values()).map(sent -> sent.domainName)
                .collect(Collectors.toSet());
        assertThat(commandNames).hasSize(11);
        assertThat(Given.values()).allSatisfy(given -> assertThat(commandNames).containsAll(given.allowed));
        assertThat(allowedCells().count() + refusedCells().count()).isEqualTo(10L * 11);
    }

    @ParameterizedTest(name = "{0}: {1} is allowed")
    @MethodSource("allowedCells")
    void anAllowedCommandEmitsExactlyItsEvent(Given given, Sent sent) {
        Object event = sent.expectedEvent(given);
        Stage after = event instanceof StageChanged change ? change.toStage() : given.stage;
        List<Object> history = given.history.get();

        fixture.given(history)
                .when(sent.command())
                .expectSuccessfulHandlerExecution()
                .expectEvents(event)
                .expectResultMessagePayload(new CommandOutcome(ID, after, versionAfter(history) + 1, sent.opened()));
    }

    @ParameterizedTest(name = "{0}: {1} is refused")
    @MethodSource("refusedCells")
    void aCommandOutsideTheTableIsRefusedNamingTheStageAndTheAllowedCommands(Given given, Sent sent) {
        fixture.given(given.history.get())
                .when(sent.command())
                .expectNoEvents()
                .expectException(transitionNotAllowed(given.stage, sent.domainName, given.allowed));
    }

    // ----------------------------------------------------------------------------------------------

    @Nested
    class Skipping {

        @Test
        void mqlMayBeSkippedFromLeadToProspect() {
            fixture.given(lead())
                    .when(new QualifyLead(ID, null, "50k", "the CTO signs", "new website", "Q2", null))
                    .expectEvents(new LeadQualified(ID, "50k", "the CTO signs", "new website", "Q2", Stage.LEAD,
                            Stage.PROSPECT, NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.PROSPECT, 2, null));
        }

        @Test
        void anUnqualifiedLeadCannotBeConverted() {
            fixture.given(mql())
                    .when(Sent.CONVERT_LEAD.command())
                    .expectNoEvents()
                    .expectException(transitionNotAllowed(Stage.MQL, "ConvertLead", Given.MQL.allowed));
        }

        @Test
        void aProspectCannotBeWonWithoutAnOpportunity() {
            fixture.given(prospect())
                    .when(new CloseWon(ID, null, null, null, null))
                    .expectNoEvents()
                    .expectException(transitionNotAllowed(Stage.PROSPECT, "CloseWon", Given.PROSPECT.allowed));
        }

        @Test
        void anOpportunityCannotBecomeAnAdvocateWithoutBeingWon() {
            fixture.given(opportunity())
                    .when(Sent.MARK_ADVOCATE.command())
                    .expectNoEvents()
                    .expectException(transitionNotAllowed(Stage.OPPORTUNITY, "MarkAdvocate",
                            Given.OPPORTUNITY.allowed));
        }
    }

    @Nested
    class Qualification {

        final QualifyLead qualify = new QualifyLead(ID, null, "50k", "the CTO signs", "new website", "Q2", null);

        @Test
        void aLeadWithoutAnyEngagementCannotBeQualified() {
            fixture.given(captured())
                    .when(qualify)
                    .expectNoEvents()
                    .expectException(twoWayEngagementRequired(Stage.LEAD));
        }

        @Test
        void anMqlWithoutATwoWayEngagementCannotBeQualified() {
            fixture.given(captured(), new LeadMarketingQualified(ID, 70, Stage.LEAD, Stage.MQL, hour(1)))
                    .when(qualify)
                    .expectNoEvents()
                    .expectException(twoWayEngagementRequired(Stage.MQL));
        }

        @ParameterizedTest
        @EnumSource(value = EngagementType.class, names = {"EMAIL_OPENED", "PAGE_VIEWED", "PRICING_PAGE_VIEWED",
                "CONTENT_DOWNLOADED", "FORM_SUBMITTED", "AD_CLICKED", "WEBINAR_ATTENDED", "DEMO_REQUESTED"})
        void aOneWayEngagementDoesNotCount(EngagementType oneWay) {
            fixture.given(captured())
                    .andGivenCommands(new RecordEngagement(ID, null, oneWay, null, null))
                    .when(qualify)
                    .expectNoEvents()
                    .expectException(twoWayEngagementRequired(Stage.LEAD));
        }

        @Test
        void allOneWayEngagementsTogetherDoNotCountEither() {
            List<Object> everyOneWay = Stream.of("EMAIL_OPENED", "PAGE_VIEWED", "PRICING_PAGE_VIEWED",
                            "CONTENT_DOWNLOADED", "FORM_SUBMITTED", "AD_CLICKED", "WEBINAR_ATTENDED", "DEMO_REQUESTED")
                    .map(type -> (Object) new RecordEngagement(ID, null, EngagementType.valueOf(type), null, null))
                    .toList();

            fixture.given(captured())
                    .andGivenCommands(everyOneWay)
                    .when(qualify)
                    .expectNoEvents()
                    .expectException(twoWayEngagementRequired(Stage.LEAD));
        }

        @ParameterizedTest
        @EnumSource(value = EngagementType.class, names = {"EMAIL_REPLIED", "CALL_HELD", "MEETING_HELD", "DEMO_HELD"})
        void anyTwoWayEngagementAllowsQualifying(EngagementType twoWay) {
            fixture.given(captured())
                    .andGivenCommands(new RecordEngagement(ID, null, twoWay, null, null))
                    .when(qualify)
                    .expectEvents(new LeadQualified(ID, "50k", "the CTO signs", "new website", "Q2", Stage.LEAD,
                            Stage.PROSPECT, NOW));
        }

        @ParameterizedTest
        @EnumSource(EngagementType.class)
        void anEngagementStatesWhetherItIsTwoWay(EngagementType type) {
            boolean twoWay = Set.of("EMAIL_REPLIED", "CALL_HELD", "MEETING_HELD", "DEMO_HELD").contains(type.name());

            fixture.given(captured())
                    .when(new RecordEngagement(ID, null, type, null, null))
                    .expectEvents(new EngagementRecorded(ID, type, twoWay, null, NOW));
        }

        @Test
        void blankBantAnswersAreRefusedEvenWithATwoWayEngagement() {
            fixture.given(captured(), new EngagementRecorded(ID, EngagementType.CALL_HELD, true, null, hour(1)))
                    .when(new QualifyLead(ID, null, "50k", " ", "new website", null, null))
                    .expectNoEvents()
                    .expectException(BantIncomplete.class)
                    .expectExceptionMessage("QualifyLead needs all four BANT answers; missing: [authority, timeline]");
        }

        @Test
        void withThePolicySwitchedOffALeadCanBeQualifiedWithoutEngagement() {
            fixtureWith(new QualificationPolicy(false))
                    .given(captured())
                    .when(qualify)
                    .expectEvents(new LeadQualified(ID, "50k", "the CTO signs", "new website", "Q2", Stage.LEAD,
                            Stage.PROSPECT, NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.PROSPECT, 1, null));
        }
    }

    @Nested
    class Opportunities {

        @Test
        void convertingAProspectOpensAnOpportunityAndReturnsItsId() {
            fixture.given(prospect())
                    .when(Sent.CONVERT_LEAD.command())
                    .expectEvents(Sent.CONVERT_LEAD.expectedEvent(Given.PROSPECT))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.OPPORTUNITY, 4, NEW_DEAL));
        }

        @Test
        void aCustomerCanOpenAnotherOpportunityAndStaysCustomer() {
            fixture.given(customer())
                    .when(Sent.OPEN_OPPORTUNITY.command())
                    .expectEvents(new OpportunityOpened(ID, NEW_DEAL, "Support plan", NEW_AMOUNT, CLOSE_DATE, "AE Ltd",
                            NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.CUSTOMER, 6, NEW_DEAL));
        }

        @Test
        void anAdvocateCanOpenAnotherOpportunityAndStaysAdvocate() {
            fixture.given(advocate())
                    .when(Sent.OPEN_OPPORTUNITY.command())
                    .expectEvents(new OpportunityOpened(ID, NEW_DEAL, "Support plan", NEW_AMOUNT, CLOSE_DATE, "AE Ltd",
                            NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.ADVOCATE, 7, NEW_DEAL));
        }

        @Test
        void anOpportunityCannotOpenASecondDealBeforeTheFirstIsWon() {
            fixture.given(opportunity())
                    .when(Sent.OPEN_OPPORTUNITY.command())
                    .expectNoEvents()
                    .expectException(transitionNotAllowed(Stage.OPPORTUNITY, "OpenOpportunity",
                            Given.OPPORTUNITY.allowed));
        }

        @Test
        void winningTheConvertedDealMakesACustomer() {
            fixture.given(opportunity())
                    .when(new CloseWon(ID, null, DEAL, null, null))
                    .expectEvents(new OpportunityWon(ID, DEAL, DEAL_AMOUNT, false, Stage.OPPORTUNITY, Stage.CUSTOMER,
                            NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.CUSTOMER, 5, null));
        }

        @Test
        void winningWithoutAnIdClosesTheOnlyOpenOpportunity() {
            fixture.given(opportunity())
                    .when(new CloseWon(ID, null, null, null, null))
                    .expectEvents(new OpportunityWon(ID, DEAL, DEAL_AMOUNT, false, Stage.OPPORTUNITY, Stage.CUSTOMER,
                            NOW));
        }

        @Test
        void aFinalAmountReplacesTheExpectedOneAndKeepsItsCurrency() {
            fixture.given(opportunity())
                    .when(new CloseWon(ID, null, DEAL, new BigDecimal("11500.50"), null))
                    .expectEvents(new OpportunityWon(ID, DEAL, new Money(new BigDecimal("11500.50"), "EUR"), false,
                            Stage.OPPORTUNITY, Stage.CUSTOMER, NOW));
        }

        @Test
        void anAmountFinerThanItsCurrencysMinorUnitIsRefused() {
            fixture.given(opportunity())
                    .when(new CloseWon(ID, null, DEAL, new BigDecimal("11500.505"), null))
                    .expectNoEvents()
                    .expectException(AmountTooPrecise.class)
                    .expectExceptionMessage("amount 11500.505 has more decimal places than EUR has (2)");
            fixture.given(prospect())
                    .when(new ConvertLead(ID, null, NEW_DEAL, "Website rebuild",
                            new Money(new BigDecimal("100.50"), "JPY"), CLOSE_DATE, null, null))
                    .expectNoEvents()
                    .expectException(AmountTooPrecise.class);
            fixture.given(customer())
                    .when(new OpenOpportunity(ID, null, NEW_DEAL, "Support plan",
                            new Money(new BigDecimal("0.001"), "USD"), CLOSE_DATE, null, null))
                    .expectNoEvents()
                    .expectException(AmountTooPrecise.class);
        }

        @Test
        void trailingZerosAreNoFinerAnAmountAndAreKept() {
            fixture.given(opportunity())
                    .when(new CloseWon(ID, null, DEAL, new BigDecimal("11500.5000"), null))
                    .expectEvents(new OpportunityWon(ID, DEAL, new Money(new BigDecimal("11500.5000"), "EUR"), false,
                            Stage.OPPORTUNITY, Stage.CUSTOMER, NOW));
        }

        @Test
        void losingTheConvertedDealExitsToLost() {
            fixture.given(opportunity())
                    .when(new CloseLost(ID, null, null, "chose a competitor", null))
                    .expectEvents(new OpportunityLost(ID, DEAL, "chose a competitor", false, Stage.OPPORTUNITY,
                            Stage.LOST, NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.LOST, 5, null));
        }

        @Test
        void anUpsellWonByACustomerLeavesTheStageUnchanged() {
            fixture.given(withUpsell(customer()))
                    .when(new CloseWon(ID, null, UPSELL, null, null))
                    .expectEvents(new OpportunityWon(ID, UPSELL, UPSELL_AMOUNT, true, Stage.CUSTOMER, Stage.CUSTOMER,
                            NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.CUSTOMER, 7, null));
        }

        @Test
        void anUpsellWonByAnAdvocateLeavesTheStageUnchanged() {
            fixture.given(withUpsell(advocate()))
                    .when(new CloseWon(ID, null, UPSELL, null, null))
                    .expectEvents(new OpportunityWon(ID, UPSELL, UPSELL_AMOUNT, true, Stage.ADVOCATE, Stage.ADVOCATE,
                            NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.ADVOCATE, 8, null));
        }

        @Test
        void anUpsellLostByACustomerLeavesTheStageUnchanged() {
            fixture.given(withUpsell(customer()))
                    .when(new CloseLost(ID, null, UPSELL, "not now", null))
                    .expectEvents(new OpportunityLost(ID, UPSELL, "not now", true, Stage.CUSTOMER, Stage.CUSTOMER,
                            NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.CUSTOMER, 7, null));
        }

        @Test
        void anUpsellLostByAnAdvocateLeavesTheStageUnchanged() {
            fixture.given(withUpsell(advocate()))
                    .when(new CloseLost(ID, null, UPSELL, "not now", null))
                    .expectEvents(new OpportunityLost(ID, UPSELL, "not now", true, Stage.ADVOCATE, Stage.ADVOCATE,
                            NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.ADVOCATE, 8, null));
        }

        @Test
        void aFinalAmountOfAnUpsellKeepsTheUpsellsCurrency() {
            fixture.given(withUpsell(customer()))
                    .when(new CloseWon(ID, null, UPSELL, new BigDecimal("2800.00"), null))
                    .expectEvents(new OpportunityWon(ID, UPSELL, new Money(new BigDecimal("2800.00"), "GBP"), true,
                            Stage.CUSTOMER, Stage.CUSTOMER, NOW));
        }

        @Test
        void winningWithoutAnIdIsAmbiguousWhileTwoAreOpen() {
            fixture.given(withTwoUpsells(customer()))
                    .when(new CloseWon(ID, null, null, null, null))
                    .expectNoEvents()
                    .expectException(opportunityAmbiguous(UPSELL, SECOND_UPSELL));
        }

        @Test
        void losingWithoutAnIdIsAmbiguousWhileTwoAreOpen() {
            fixture.given(withTwoUpsells(advocate()))
                    .when(new CloseLost(ID, null, null, "not now", null))
                    .expectNoEvents()
                    .expectException(opportunityAmbiguous(UPSELL, SECOND_UPSELL));
        }

        @Test
        void withTwoOpenTheNamedOneIsClosed() {
            fixture.given(withTwoUpsells(customer()))
                    .when(new CloseWon(ID, null, SECOND_UPSELL, null, null))
                    .expectEvents(new OpportunityWon(ID, SECOND_UPSELL, SECOND_UPSELL_AMOUNT, true, Stage.CUSTOMER,
                            Stage.CUSTOMER, NOW));
        }

        @Test
        void afterOneOfTwoIsClosedTheOtherNeedsNoId() {
            fixture.given(plus(withTwoUpsells(customer()), new OpportunityWon(ID, SECOND_UPSELL, SECOND_UPSELL_AMOUNT,
                            true, Stage.CUSTOMER, Stage.CUSTOMER, hour(12))))
                    .when(new CloseLost(ID, null, null, "not now", null))
                    .expectEvents(new OpportunityLost(ID, UPSELL, "not now", true, Stage.CUSTOMER, Stage.CUSTOMER,
                            NOW));
        }

        @Test
        void anUnknownOpportunityIsNotOpen() {
            fixture.given(opportunity())
                    .when(new CloseWon(ID, null, UNKNOWN_DEAL, null, null))
                    .expectNoEvents()
                    .expectException(opportunityNotOpen(Stage.OPPORTUNITY, DEAL));
        }

        @Test
        void anAlreadyWonOpportunityIsNotOpen() {
            fixture.given(withUpsell(customer()))
                    .when(new CloseWon(ID, null, DEAL, null, null))
                    .expectNoEvents()
                    .expectException(opportunityNotOpen(Stage.CUSTOMER, UPSELL));
        }

        @Test
        void anAlreadyWonOpportunityCannotBeLostEither() {
            fixture.given(withUpsell(advocate()))
                    .when(new CloseLost(ID, null, DEAL, "changed our mind", null))
                    .expectNoEvents()
                    .expectException(opportunityNotOpen(Stage.ADVOCATE, UPSELL));
        }
    }

    @Nested
    class Recycling {

        @Test
        void aDisqualifiedContactIsRecycledToLead() {
            fixture.given(disqualified())
                    .when(new RecycleContact(ID, null, "new budget year", null))
                    .expectEvents(new ContactRecycled(ID, "new budget year", Stage.DISQUALIFIED, Stage.LEAD, NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.LEAD, 3, null));
        }

        @Test
        void aLostContactIsRecycledToLead() {
            fixture.given(lost())
                    .when(new RecycleContact(ID, null, "new budget year", null))
                    .expectEvents(new ContactRecycled(ID, "new budget year", Stage.LOST, Stage.LEAD, NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.LEAD, 6, null));
        }

        @Test
        void aRecycledLeadCanBeMarketingQualifiedAgain() {
            fixture.given(plus(disqualified(),
                            new ContactRecycled(ID, "new budget year", Stage.DISQUALIFIED, Stage.LEAD, hour(3))))
                    .when(new MarkMarketingQualified(ID, null, 60, null))
                    .expectEvents(new LeadMarketingQualified(ID, 60, Stage.LEAD, Stage.MQL, NOW));
        }

        @Test
        void aRecycledLostContactCanGoThroughTheFunnelAndBeWonAgain() {
            List<Object> recycled = plus(lost(),
                    new ContactRecycled(ID, "new budget year", Stage.LOST, Stage.LEAD, hour(6)));

            fixture.given(recycled)
                    .andGivenCommands(
                            new MarkMarketingQualified(ID, null, 60, null),
                            new RecordEngagement(ID, null, EngagementType.MEETING_HELD, null, null),
                            new QualifyLead(ID, null, "40k", "the CFO", "intranet", "Q4", null),
                            Sent.CONVERT_LEAD.command())
                    .when(new CloseWon(ID, null, null, null, null))
                    .expectEvents(new OpportunityWon(ID, NEW_DEAL, NEW_AMOUNT, false, Stage.OPPORTUNITY,
                            Stage.CUSTOMER, NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.CUSTOMER, versionAfter(recycled) + 5,
                            null));
        }
    }

    @Nested
    class Advocacy {

        @Test
        void aCustomerBecomesAnAdvocate() {
            fixture.given(customer())
                    .when(new MarkAdvocate(ID, null, AdvocacyReason.EXPANDED, null))
                    .expectEvents(new CustomerBecameAdvocate(ID, AdvocacyReason.EXPANDED, Stage.CUSTOMER,
                            Stage.ADVOCATE, NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.ADVOCATE, 6, null));
        }

        @Test
        void anAdvocateCannotBeMarkedAgain() {
            fixture.given(advocate())
                    .when(new MarkAdvocate(ID, null, AdvocacyReason.REFERRED, null))
                    .expectNoEvents()
                    .expectException(transitionNotAllowed(Stage.ADVOCATE, "MarkAdvocate", Given.ADVOCATE.allowed));
        }

        @Test
        void aCustomerWithAnOpenUpsellCanBecomeAnAdvocateAndStillCloseIt() {
            fixture.given(plus(withUpsell(customer()),
                            new CustomerBecameAdvocate(ID, AdvocacyReason.EXPANDED, Stage.CUSTOMER, Stage.ADVOCATE,
                                    hour(11))))
                    .when(new CloseWon(ID, null, null, null, null))
                    .expectEvents(new OpportunityWon(ID, UPSELL, UPSELL_AMOUNT, true, Stage.ADVOCATE, Stage.ADVOCATE,
                            NOW));
        }
    }

    @Nested
    class OccurredAt {

        /** The last event of {@link #lead()} happened at {@code hour(1)}. */
        RecordEngagement engagementAt(Instant occurredAt) {
            return new RecordEngagement(ID, null, EngagementType.EMAIL_REPLIED, null, occurredAt);
        }

        @Test
        void withoutATimeTheEventHappensNowByTheClock() {
            fixture.given(lead())
                    .when(engagementAt(null))
                    .expectEvents(new EngagementRecorded(ID, EngagementType.EMAIL_REPLIED, true, null, NOW));
        }

        @Test
        void aGivenPastTimeIsKept() {
            fixture.given(lead())
                    .when(engagementAt(hour(2)))
                    .expectEvents(new EngagementRecorded(ID, EngagementType.EMAIL_REPLIED, true, null, hour(2)));
        }

        @Test
        void aPastTimeIsKeptOnAStageChangeToo() {
            fixture.given(lead())
                    .when(new MarkMarketingQualified(ID, null, 75, hour(2)))
                    .expectEvents(new LeadMarketingQualified(ID, 75, Stage.LEAD, Stage.MQL, hour(2)));
        }

        @Test
        void aTimeInTheFutureBeyondTheSkewIsRefused() {
            fixture.given(lead())
                    .when(engagementAt(NOW.plus(SKEW).plusMillis(1)))
                    .expectNoEvents()
                    .expectException(occurredAtRefused("occurred-at-in-future"));
        }

        @Test
        void aTimeInTheFutureWithinTheSkewIsAccepted() {
            fixture.given(lead())
                    .when(engagementAt(NOW.plus(SKEW)))
                    .expectEvents(new EngagementRecorded(ID, EngagementType.EMAIL_REPLIED, true, null, NOW.plus(SKEW)));
        }

        @Test
        void aTimeBeforeThePreviousEventIsRefused() {
            fixture.given(lead())
                    .when(engagementAt(hour(1).minusMillis(1)))
                    .expectNoEvents()
                    .expectException(occurredAtRefused("occurred-at-before-previous-event"));
        }

        @Test
        void aStageChangeBeforeThePreviousEventIsRefused() {
            fixture.given(lead())
                    .when(new MarkMarketingQualified(ID, null, 75, hour(0)))
                    .expectNoEvents()
                    .expectException(occurredAtRefused("occurred-at-before-previous-event"));
        }

        @Test
        void aTimeEqualToThePreviousEventIsAccepted() {
            fixture.given(lead())
                    .when(engagementAt(hour(1)))
                    .expectEvents(new EngagementRecorded(ID, EngagementType.EMAIL_REPLIED, true, null, hour(1)));
        }

        @Test
        void withoutATimeAfterAnEventSlightlyAheadOfTheClockTheOrderIsKept() {
            Instant aheadWithinSkew = NOW.plusSeconds(3);

            fixture.given(captured(),
                            new EngagementRecorded(ID, EngagementType.CALL_HELD, true, null, aheadWithinSkew))
                    .when(engagementAt(null))
                    .expectEvents(new EngagementRecorded(ID, EngagementType.EMAIL_REPLIED, true, null,
                            aheadWithinSkew));
        }
    }

    @Nested
    class ExpectedVersion {

        @Test
        void aMatchingVersionIsAccepted() {
            fixture.given(lead())
                    .when(new AssignOwner(ID, 1L, "sam", null))
                    .expectEvents(new OwnerAssigned(ID, "sam", "alex", NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.LEAD, 2, null));
        }

        @Test
        void anOlderVersionIsRefused() {
            fixture.given(lead())
                    .when(new AssignOwner(ID, 0L, "sam", null))
                    .expectNoEvents()
                    .expectException(versionMismatch(0, 1));
        }

        @Test
        void aNewerVersionIsRefused() {
            fixture.given(lead())
                    .when(new MarkMarketingQualified(ID, 2L, 80, null))
                    .expectNoEvents()
                    .expectException(versionMismatch(2, 1));
        }
    }

    @Nested
    class Capture {

        CaptureLead capture(UUID contactId, String email, Instant occurredAt) {
            return new CaptureLead(contactId, "Ada Lovelace", email, "+44 20 7946 0000", "Analytical Engines", "CTO",
                    LeadSource.REFERRAL, "spring-2026", "alex", occurredAt);
        }

        @Test
        void capturingEmitsLeadCapturedIntoLead() {
            fixture.givenNoPriorActivity()
                    .when(capture(ID, "ada@example.com", null))
                    .expectEvents(new LeadCaptured(ID, "Ada", "Lovelace", "ada@example.com", "+44 20 7946 0000",
                            "Analytical Engines", "CTO", LeadSource.REFERRAL, "spring-2026", "alex", null, Stage.LEAD,
                            NOW))
                    .expectResultMessagePayload(new CommandOutcome(ID, Stage.LEAD, 0, null));
        }

        @Test
        void capturingRegistersTheContact() {
            fixture.givenNoPriorActivity().when(capture(ID, "Ada@Example.com", null)).expectSuccessfulHandlerExecution();

            assertThat(registry.exists(ID)).isTrue();
            assertThat(registry.findByEmail("ada@example.com")).contains(ID);
        }

        @Test
        void aCapturedTimeInThePastIsKept() {
            Instant imported = Instant.parse("2024-05-17T10:15:30Z");

            fixture.givenNoPriorActivity()
                    .when(capture(ID, "ada@example.com", imported))
                    .expectEvents(new LeadCaptured(ID, "Ada", "Lovelace", "ada@example.com", "+44 20 7946 0000",
                            "Analytical Engines", "CTO", LeadSource.REFERRAL, "spring-2026", "alex", null, Stage.LEAD,
                            imported));
        }

        @Test
        void aCapturedTimeInTheFutureIsRefusedAndNothingIsRegistered() {
            fixture.givenNoPriorActivity()
                    .when(capture(ID, "ada@example.com", NOW.plus(SKEW).plusSeconds(1)))
                    .expectNoEvents()
                    .expectException(occurredAtRefused("occurred-at-in-future"));

            assertThat(registry.exists(ID)).isFalse();
            assertThat(registry.findByEmail("ada@example.com")).isEmpty();
        }

        @Test
        void aKnownEmailInAnotherCaseIsADuplicateNamingTheExistingContact() {
            registry.register(OTHER_CONTACT, "Ada@Example.COM");

            fixture.givenNoPriorActivity()
                    .when(capture(ID, "aDA@example.com", null))
                    .expectNoEvents()
                    .expectException(duplicateContact("duplicate-email", OTHER_CONTACT));

            assertThat(registry.exists(ID)).isFalse();
        }

        @Test
        void theEmailOfAContactCapturedEarlierIsADuplicate() {
            fixture.givenCommands(capture(OTHER_CONTACT, "ada@example.com", null))
                    .when(capture(ID, "ADA@EXAMPLE.COM", null))
                    .expectNoEvents()
                    .expectException(duplicateContact("duplicate-email", OTHER_CONTACT));
        }

        @Test
        void aKnownIdIsADuplicate() {
            registry.register(ID, "someone.else@example.com");

            fixture.givenNoPriorActivity()
                    .when(capture(ID, "ada@example.com", null))
                    .expectNoEvents()
                    .expectException(duplicateContact("duplicate-contact-id", ID));

            assertThat(registry.findByEmail("ada@example.com")).isEmpty();
        }

        @Test
        void theIdOfAContactCapturedEarlierIsADuplicate() {
            fixture.givenCommands(capture(ID, "ada@example.com", null))
                    .when(capture(ID, "grace@example.com", null))
                    .expectNoEvents()
                    .expectException(duplicateContact("duplicate-contact-id", ID));
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Matchers for the typed refusals: the exact class, its code and the details the API reports.

    static Matcher<TransitionNotAllowed> transitionNotAllowed(Stage stage, String attempted, Set<String> allowed) {
        return refusal(TransitionNotAllowed.class,
                "in " + stage + " refusing " + attempted + " and allowing exactly " + allowed,
                refused -> refused.code().equals("transition-not-allowed")
                        && refused.currentStage() == stage
                        && refused.attempted().commandName().equals(attempted)
                        && refused.allowedCommands().size() == allowed.size()
                        && names(refused.allowedCommands()).equals(allowed)
                        && refused.getMessage().contains(stage.name())
                        && allowed.stream().allMatch(refused.getMessage()::contains));
    }

    static Matcher<TwoWayEngagementRequired> twoWayEngagementRequired(Stage stage) {
        return refusal(TwoWayEngagementRequired.class, "in " + stage,
                refused -> refused.code().equals("two-way-engagement-required")
                        && refused.currentStage() == stage
                        && refused.attempted() == LifecycleCommand.QUALIFY_LEAD);
    }

    static Matcher<OpportunityAmbiguous> opportunityAmbiguous(UUID... open) {
        return refusal(OpportunityAmbiguous.class, "naming " + Arrays.toString(open),
                refused -> refused.code().equals("opportunity-ambiguous")
                        && Set.copyOf(refused.openOpportunityIds()).equals(Set.of(open))
                        && refused.openOpportunityIds().size() == open.length);
    }

    static Matcher<OpportunityNotOpen> opportunityNotOpen(Stage stage, UUID... open) {
        return refusal(OpportunityNotOpen.class, "in " + stage + " with open " + Arrays.toString(open),
                refused -> refused.code().equals("opportunity-not-open")
                        && refused.currentStage() == stage
                        && refused.openOpportunityIds().equals(List.of(open))
                        && refused.allowedCommands().equals(LifecycleCommand.allowedIn(stage, open.length)));
    }

    static Matcher<OccurredAtRefused> occurredAtRefused(String code) {
        return refusal(OccurredAtRefused.class, "with code " + code, refused -> refused.code().equals(code));
    }

    static Matcher<VersionMismatch> versionMismatch(long expected, long actual) {
        return refusal(VersionMismatch.class, "expected " + expected + ", actual " + actual,
                refused -> refused.code().equals("version-mismatch")
                        && refused.expected() == expected
                        && refused.actual() == actual);
    }

    static Matcher<DuplicateContact> duplicateContact(String code, UUID existing) {
        return refusal(DuplicateContact.class, code + " naming " + existing,
                refused -> refused.code().equals(code) && existing.equals(refused.existingContactId()));
    }

    static <E extends Throwable> Matcher<E> refusal(Class<E> type, String description, Predicate<E> check) {
        return new TypeSafeMatcher<>(type) {
            @Override
            protected boolean matchesSafely(E actual) {
                return actual.getClass() == type && check.test(actual);
            }

            @Override
            public void describeTo(Description out) {
                out.appendText("exactly a " + type.getSimpleName() + " " + description);
            }

            @Override
            protected void describeMismatchSafely(E actual, Description out) {
                out.appendText("was a " + actual.getClass().getSimpleName() + ": " + actual.getMessage());
            }
        };
    }

    static Set<String> names(List<LifecycleCommand> commands) {
        return commands.stream().map(LifecycleCommand::commandName).collect(Collectors.toSet());
    }
}
