package com.salespipeline.command.contact;

import com.salespipeline.events.Stage;
import java.util.List;
import java.util.UUID;

/**
 * The opportunity named by a close command is not one of the contact's open opportunities. Answered as a refused
 * transition is, with the stage and the commands allowed in it, and the opportunities that are open.
 */
public class OpportunityNotOpen extends ContactRefused {

    private final Stage currentStage;
    private final List<UUID> openOpportunityIds;
    private final List<LifecycleCommand> allowedCommands;

    public OpportunityNotOpen(UUID opportunityId, Stage currentStage, List<UUID> openOpportunityIds,
                              List<LifecycleCommand> allowedCommands) {
        super("opportunity " + opportunityId + " is not open for this contact; open: " + openOpportunityIds);
        this.currentStage = currentStage;
        this.openOpportunityIds = List.copyOf(openOpportunityIds);
        this.allowedCommands = List.copyOf(allowedCommands);
    }

    @Override
    public String code() {
        return "opportunity-not-open";
    }

    public Stage currentStage() {
        return currentStage;
    }

    public List<UUID> openOpportunityIds() {
        return openOpportunityIds;
    }

    public List<LifecycleCommand> allowedCommands() {
        return allowedCommands;
    }
}
