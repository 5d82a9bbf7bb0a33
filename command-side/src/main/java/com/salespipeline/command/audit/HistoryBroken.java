package com.salespipeline.command.audit;

/**
 * A command found its contact's stored history broken: the chain head does not follow the events the contact was
 * loaded from (its latest events were cut off, or the head was changed or removed). Appending would chain onto what
 * is left and move the head over the evidence, so that verification would find the history intact again; the
 * command is refused instead, and so is every later one until the history is repaired.
 */
public class HistoryBroken extends RuntimeException {

    private final String contactId;
    private final long brokenSequence;

    HistoryBroken(String contactId, long brokenSequence, String problem) {
        super("the stored history of contact " + contactId + " is broken at sequence " + brokenSequence + " ("
                + problem + "): no command is accepted until it is repaired; GET /api/contacts/" + contactId
                + "/history/verify names the first broken event", null, false, false);
        this.contactId = contactId;
        this.brokenSequence = brokenSequence;
    }

    public String contactId() {
        return contactId;
    }

    public long brokenSequence() {
        return brokenSequence;
    }
}
