package com.salespipeline.query.freshness;

/**
 * Where the stored history and the read model stand, for a process that holds both: the standalone app. Positions
 * are the event store's global indexes.
 */
public interface ReadModelProgress {

    /** The position of the newest event stored, or -1 when none is. */
    long storedHead();

    /** The position up to which the read model has applied the history, or -1 when that is unknown. */
    long appliedPosition();

    /**
     * Whether the read model is following the history now; false while it is stopped (a replay switching
     * generations) or failing, when waiting for it would only hold the request.
     */
    boolean following();

    /** Asks the read model to look for new events now instead of after its usual delay. */
    void lookNow();
}
