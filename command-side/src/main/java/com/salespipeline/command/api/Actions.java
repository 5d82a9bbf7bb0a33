package com.salespipeline.command.api;

import com.salespipeline.command.contact.LifecycleCommand;
import java.util.List;

/** The HTTP action path segment of each lifecycle command. */
final class Actions {

    private Actions() {
    }

    static String of(LifecycleCommand command) {
        return switch (command) {
            case RECORD_ENGAGEMENT -> "engagements";
            case ASSIGN_OWNER -> "assign-owner";
            case MARK_MARKETING_QUALIFIED -> "mark-mql";
            case QUALIFY_LEAD -> "qualify";
            case CONVERT_LEAD -> "convert";
            case OPEN_OPPORTUNITY -> "open-opportunity";
            case CLOSE_WON -> "close-won";
            case CLOSE_LOST -> "close-lost";
            case DISQUALIFY_LEAD -> "disqualify";
            case RECYCLE_CONTACT -> "recycle";
            case MARK_ADVOCATE -> "mark-advocate";
        };
    }

    static List<String> of(List<LifecycleCommand> commands) {
        return commands.stream().map(Actions::of).toList();
    }
}
