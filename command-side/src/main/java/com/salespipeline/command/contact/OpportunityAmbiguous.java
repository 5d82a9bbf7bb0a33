package com.salespipeline.command.contact;

import java.util.List;
import java.util.UUID;

/** A close command without an opportunity id while more than one opportunity is open. */
public class OpportunityAmbiguous extends ContactRefused {

    private final List<UUID> openOpportunityIds;

    public OpportunityAmbiguous(List<UUID> openOpportunityIds) {
        super("opportunityId is required while more than one opportunity is open: " + openOpportunityIds);
        this.openOpportunityIds = List.copyOf(openOpportunityIds);
    }

    @Override
    public String code() {
        return "opportunity-ambiguous";
    }

    public List<UUID> openOpportunityIds() {
        return openOpportunityIds;
    }
}
