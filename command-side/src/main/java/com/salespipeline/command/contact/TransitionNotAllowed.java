package com.salespipeline.command.contact;

import com.salespipeline.events.Stage;
import java.util.List;

/** The command is not in the transition table for the contact's current stage, or a stage rule refused it. */
public class TransitionNotAllowed extends ContactRefused {

    private final Stage currentStage;
    private final LifecycleCommand attempted;
    private final List<LifecycleCommand> allowedCommands;

    public TransitionNotAllowed(Stage currentStage, LifecycleCommand attempted, List<LifecycleCommand> allowedCommands) {
        this(currentStage, attempted, allowedCommands,
                attempted.commandName() + " is not allowed for a contact in stage " + currentStage + "; allowed: "
                        + allowedCommands.stream().map(LifecycleCommand::commandName).toList());
    }

    protected TransitionNotAllowed(Stage currentStage, LifecycleCommand attempted,
                                   List<LifecycleCommand> allowedCommands, String message) {
        super(message);
        this.currentStage = currentStage;
        this.attempted = attempted;
        this.allowedCommands = List.copyOf(allowedCommands);
    }

    @Override
    public String code() {
        return "transition-not-allowed";
    }

    public Stage currentStage() {
        return currentStage;
    }

    public LifecycleCommand attempted() {
        return attempted;
    }

    public List<LifecycleCommand> allowedCommands() {
        return allowedCommands;
    }
}
