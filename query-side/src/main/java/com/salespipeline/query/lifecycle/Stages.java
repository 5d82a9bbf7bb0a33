package com.salespipeline.query.lifecycle;

import com.salespipeline.events.Stage;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The funnel stages in order, and the read-model columns that remember when a contact got to each. */
public final class Stages {

    /** LEAD, MQL, PROSPECT, OPPORTUNITY, CUSTOMER, ADVOCATE. */
    public static final List<Stage> FUNNEL = Arrays.stream(Stage.values()).filter(Stage::isFunnelStage).toList();

    /** DISQUALIFIED, LOST. */
    public static final List<Stage> EXITS = Arrays.stream(Stage.values()).filter(s -> !s.isFunnelStage()).toList();

    private Stages() {
    }

    /** First entry into the stage ({@code LEAD}: the capture). */
    public static String enteredColumn(Stage stage) {
        return stage == Stage.LEAD ? "captured_at" : "entered_" + column(stage) + "_at";
    }

    /** First time in the stage or a later funnel stage ({@code LEAD}: the capture). */
    public static String reachedColumn(Stage stage) {
        return stage == Stage.LEAD ? "captured_at" : "reached_" + column(stage) + "_at";
    }

    private static String column(Stage stage) {
        if (!stage.isFunnelStage()) {
            throw new IllegalArgumentException(stage + " is not a funnel stage");
        }
        return stage.name().toLowerCase(Locale.ROOT);
    }
}
