package com.salespipeline.command.contact;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.events.Stage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LifecycleCommandTest {

    /** domain.md's transition table, read per stage, for a contact with no open opportunity. */
    private static final Map<Stage, Set<String>> ALLOWED_WITHOUT_OPEN_OPPORTUNITY = Map.of(
            Stage.LEAD, Set.of("RecordEngagement", "AssignOwner", "MarkMarketingQualified", "QualifyLead",
                    "DisqualifyLead"),
            Stage.MQL, Set.of("RecordEngagement", "AssignOwner", "QualifyLead", "DisqualifyLead"),
            Stage.PROSPECT, Set.of("RecordEngagement", "AssignOwner", "ConvertLead", "DisqualifyLead"),
            // a contact in OPPORTUNITY always has its deal open; without one, there is nothing to close
            Stage.OPPORTUNITY, Set.of("RecordEngagement", "AssignOwner"),
            Stage.CUSTOMER, Set.of("RecordEngagement", "AssignOwner", "OpenOpportunity", "MarkAdvocate"),
            Stage.ADVOCATE, Set.of("RecordEngagement", "AssignOwner", "OpenOpportunity"),
            Stage.DISQUALIFIED, Set.of("RecordEngagement", "AssignOwner", "RecycleContact"),
            Stage.LOST, Set.of("RecordEngagement", "AssignOwner", "RecycleContact"));

    /** The same table for a contact with one open opportunity: only the close commands are added. */
    private static final Map<Stage, Set<String>> ALLOWED_WITH_ONE_OPEN_OPPORTUNITY = Map.of(
            Stage.LEAD, ALLOWED_WITHOUT_OPEN_OPPORTUNITY.get(Stage.LEAD),
            Stage.MQL, ALLOWED_WITHOUT_OPEN_OPPORTUNITY.get(Stage.MQL),
            Stage.PROSPECT, ALLOWED_WITHOUT_OPEN_OPPORTUNITY.get(Stage.PROSPECT),
            Stage.OPPORTUNITY, Set.of("RecordEngagement", "AssignOwner", "CloseWon", "CloseLost"),
            Stage.CUSTOMER, Set.of("RecordEngagement", "AssignOwner", "OpenOpportunity", "MarkAdvocate", "CloseWon",
                    "CloseLost"),
            Stage.ADVOCATE, Set.of("RecordEngagement", "AssignOwner", "OpenOpportunity", "CloseWon", "CloseLost"),
            Stage.DISQUALIFIED, ALLOWED_WITHOUT_OPEN_OPPORTUNITY.get(Stage.DISQUALIFIED),
            Stage.LOST, ALLOWED_WITHOUT_OPEN_OPPORTUNITY.get(Stage.LOST));

    @Test
    void commandNamesAreTheElevenCommandsOfTheDomainTable() {
        assertThat(Arrays.stream(LifecycleCommand.values()).map(LifecycleCommand::commandName))
                .containsExactlyInAnyOrder("RecordEngagement", "AssignOwner", "MarkMarketingQualified",
                        "QualifyLead", "ConvertLead", "CloseWon", "CloseLost", "OpenOpportunity", "DisqualifyLead",
                        "RecycleContact", "MarkAdvocate");
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void allowedInMatchesTheDomainTableWithoutAnOpenOpportunity(Stage stage) {
        assertThat(names(LifecycleCommand.allowedIn(stage, 0)))
                .containsExactlyInAnyOrderElementsOf(ALLOWED_WITHOUT_OPEN_OPPORTUNITY.get(stage));
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void allowedInMatchesTheDomainTableWithAnOpenOpportunity(Stage stage) {
        assertThat(names(LifecycleCommand.allowedIn(stage, 1)))
                .containsExactlyInAnyOrderElementsOf(ALLOWED_WITH_ONE_OPEN_OPPORTUNITY.get(stage));
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void isAllowedAgreesWithAllowedIn(Stage stage) {
        for (int open = 0; open <= 2; open++) {
            int openOpportunities = open;
            Set<LifecycleCommand> allowed = Set.copyOf(LifecycleCommand.allowedIn(stage, openOpportunities));
            assertThat(LifecycleCommand.values()).allSatisfy(command ->
                    assertThat(command.isAllowed(stage, openOpportunities))
                            .as("%s in %s with %d open", command, stage, openOpportunities)
                            .isEqualTo(allowed.contains(command)));
        }
    }

    @Test
    void closingNeedsAnOpenOpportunityEvenWhereTheStageAllowsIt() {
        assertThat(LifecycleCommand.CLOSE_WON.isAllowed(Stage.CUSTOMER, 0)).isFalse();
        assertThat(LifecycleCommand.CLOSE_LOST.isAllowed(Stage.ADVOCATE, 0)).isFalse();
        assertThat(LifecycleCommand.CLOSE_WON.isAllowed(Stage.CUSTOMER, 2)).isTrue();
        assertThat(LifecycleCommand.CLOSE_LOST.isAllowed(Stage.ADVOCATE, 2)).isTrue();
    }

    @Test
    void anOpenOpportunityDoesNotOpenCloseCommandsToStagesOutsideTheTable() {
        assertThat(LifecycleCommand.CLOSE_WON.isAllowed(Stage.PROSPECT, 1)).isFalse();
        assertThat(LifecycleCommand.CLOSE_LOST.isAllowed(Stage.LOST, 1)).isFalse();
    }

    @Test
    void allowedInKeepsTheEnumsTableOrder() {
        List<LifecycleCommand> allowed = LifecycleCommand.allowedIn(Stage.CUSTOMER, 1);
        assertThat(allowed).isSortedAccordingTo(java.util.Comparator.comparingInt(Enum::ordinal));
    }

    private static Set<String> names(List<LifecycleCommand> commands) {
        assertThat(commands).doesNotHaveDuplicates();
        return commands.stream().map(LifecycleCommand::commandName).collect(Collectors.toSet());
    }
}
