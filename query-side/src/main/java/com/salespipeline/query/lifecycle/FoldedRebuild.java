package com.salespipeline.query.lifecycle;

/**
 * A rebuild of the report aggregates that a bulk replay shows each contact as it folds it, and finishes once every
 * contact's rows are written (see {@link ReportAggregates#rebuildFromFoldedContacts()}).
 */
public interface FoldedRebuild extends AutoCloseable {

    /** A rebuild that needs nothing: for a replay without report aggregates. */
    FoldedRebuild NONE = new FoldedRebuild() {
        @Override
        public void folded(FoldedContact contact) {
        }

        @Override
        public void finish() {
        }
    };

    /**
     * One contact's rows after its whole history (as far as the bulk replay saw it). Called on a thread of the bulk
     * load's own, which statements are not routed to the generation being built: it must not use the database.
     */
    void folded(FoldedContact contact);

    /**
     * Every contact is folded and its rows written: replaces every aggregate, on the caller's generation of the
     * read model.
     */
    void finish();

    /** Lets go of what the rebuild held (temporary files), finished or not. */
    @Override
    default void close() {
    }
}
