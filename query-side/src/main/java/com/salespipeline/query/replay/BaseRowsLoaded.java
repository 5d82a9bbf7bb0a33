package com.salespipeline.query.replay;

/**
 * Called by a bulk replay once the base rows (contacts, stage visits, owner periods, opportunities) of the
 * generation being built are complete up to the history's head, before the per-event catch-up: the moment
 * to recompute whatever is derived from those rows in one pass (INSERT ... SELECT) rather than event by
 * event. Its statements run with the read-model tables routed to {@code generation} (see
 * {@link ReadModelGenerations#on}); the catch-up then keeps them current through the live projection.
 */
@FunctionalInterface
public interface BaseRowsLoaded {

    /** Nothing derived to recompute. */
    BaseRowsLoaded NOTHING = generation -> { };

    void recompute(String generation);
}
