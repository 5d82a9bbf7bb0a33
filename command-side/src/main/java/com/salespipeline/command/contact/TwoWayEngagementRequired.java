package com.salespipeline.command.contact;

import com.salespipeline.events.Stage;
import java.util.List;

/** Qualification needs a two-way engagement first (a policy that configuration can switch off). */
public class TwoWayEngagementRequired extends TransitionNotAllowed {

    public TwoWayEngagementRequired(Stage currentStage, List<LifecycleCommand> allowedCommands) {
        super(currentStage, LifecycleCommand.QUALIFY_LEAD, allowedCommands,
                "QualifyLead needs at least one two-way engagement (EMAIL_REPLIED, CALL_HELD, MEETING_HELD or"
                        + " DEMO_HELD) recorded first");
    }

    @Override
    public String code() {
        return "two-way-engagement-required";
    }
}
