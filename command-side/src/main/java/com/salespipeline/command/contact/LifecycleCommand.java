package com.salespipeline.command.contact;

import static com.salespipeline.events.Stage.ADVOCATE;
import static com.salespipeline.events.Stage.CUSTOMER;
import static com.salespipeline.events.Stage.DISQUALIFIED;
import static com.salespipeline.events.Stage.LEAD;
import static com.salespipeline.events.Stage.LOST;
import static com.salespipeline.events.Stage.MQL;
import static com.salespipeline.events.Stage.OPPORTUNITY;
import static com.salespipeline.events.Stage.PROSPECT;

import com.salespipeline.events.Stage;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The transition table of the lifecycle: which command may be sent to a contact in which stage.
 * Closing an opportunity from CUSTOMER or ADVOCATE is only possible while an upsell is open.
 */
public enum LifecycleCommand {
    RECORD_ENGAGEMENT("RecordEngagement", EnumSet.allOf(Stage.class)),
    ASSIGN_OWNER("AssignOwner", EnumSet.allOf(Stage.class)),
    MARK_MARKETING_QUALIFIED("MarkMarketingQualified", EnumSet.of(LEAD)),
    QUALIFY_LEAD("QualifyLead", EnumSet.of(LEAD, MQL)),
    CONVERT_LEAD("ConvertLead", EnumSet.of(PROSPECT)),
    OPEN_OPPORTUNITY("OpenOpportunity", EnumSet.of(CUSTOMER, ADVOCATE)),
    CLOSE_WON("CloseWon", EnumSet.of(OPPORTUNITY, CUSTOMER, ADVOCATE)),
    CLOSE_LOST("CloseLost", EnumSet.of(OPPORTUNITY, CUSTOMER, ADVOCATE)),
    DISQUALIFY_LEAD("DisqualifyLead", EnumSet.of(LEAD, MQL, PROSPECT)),
    RECYCLE_CONTACT("RecycleContact", EnumSet.of(DISQUALIFIED, LOST)),
    MARK_ADVOCATE("MarkAdvocate", EnumSet.of(CUSTOMER));

    private final String commandName;
    private final Set<Stage> from;

    LifecycleCommand(String commandName, Set<Stage> from) {
        this.commandName = commandName;
        this.from = from;
    }

    /** The command's name as the domain speaks of it, e.g. {@code QualifyLead}. */
    public String commandName() {
        return commandName;
    }

    /** Whether the command is allowed for a contact in {@code stage} with {@code openOpportunities} open deals. */
    public boolean isAllowed(Stage stage, int openOpportunities) {
        if (!from.contains(stage)) {
            return false;
        }
        boolean closesADeal = this == CLOSE_WON || this == CLOSE_LOST;
        return !closesADeal || openOpportunities > 0;
    }

    /** Every command allowed in that state, in table order. */
    public static List<LifecycleCommand> allowedIn(Stage stage, int openOpportunities) {
        return Arrays.stream(values()).filter(command -> command.isAllowed(stage, openOpportunities)).toList();
    }
}
