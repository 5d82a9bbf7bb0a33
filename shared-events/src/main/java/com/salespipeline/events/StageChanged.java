package com.salespipeline.events;

/**
 * An event that may move a contact between stages. A reader of one event needs no history to know
 * the move: {@code fromStage} is null only when the contact is created. When both stages are equal
 * (an upsell closed by a customer) the event does not change the stage.
 */
public interface StageChanged extends ContactEvent {
    /** The stage before the event; null for a newly captured lead. */
    Stage fromStage();

    /** The stage after the event. */
    Stage toStage();

    /** Whether the contact's stage is different after this event. */
    default boolean changesStage() {
        return fromStage() != toStage();
    }
}
