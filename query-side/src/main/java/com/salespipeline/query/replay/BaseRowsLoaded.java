package com.salespipeline.query.replay;

import com.salespipeline.query.lifecycle.FoldedRebuild;

/**
 * What a bulk replay derives from the base rows (contacts, stage visits, owner periods, opportunities) of the
 * generation it builds: begun before the load, shown each contact as it is folded, and finished once the base rows
 * are complete up to the history's head, before the per-event catch-up. {@link FoldedRebuild#finish()} runs with
 * the read-model tables routed to that generation (see {@link ReadModelGenerations#on}); the catch-up then keeps
 * what it wrote current through the live projection.
 */
@FunctionalInterface
public interface BaseRowsLoaded {

    /** Nothing derived to recompute. */
    BaseRowsLoaded NOTHING = () -> FoldedRebuild.NONE;

    FoldedRebuild begin();
}
