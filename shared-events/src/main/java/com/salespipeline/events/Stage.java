package com.salespipeline.events;

/**
 * Where a contact stands in the lifecycle. The first six are the funnel stages, in funnel order;
 * {@link #DISQUALIFIED} and {@link #LOST} are exits.
 */
public enum Stage {
    LEAD, MQL, PROSPECT, OPPORTUNITY, CUSTOMER, ADVOCATE, DISQUALIFIED, LOST;

    /** Whether this is one of the six funnel stages (as opposed to an exit). */
    public boolean isFunnelStage() {
        return this != DISQUALIFIED && this != LOST;
    }

    /** Position in the funnel, 0 for LEAD; exits have no position and answer -1. */
    public int funnelOrder() {
        return isFunnelStage() ? ordinal() : -1;
    }
}
