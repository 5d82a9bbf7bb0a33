package com.salespipeline.command.contact;

/** The caller expected another version of the contact than the current one (If-Match). */
public class VersionMismatch extends ContactRefused {

    private final long expected;
    private final long actual;

    public VersionMismatch(long expected, long actual) {
        super("expected version " + expected + " but the contact is at version " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    @Override
    public String code() {
        return "version-mismatch";
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
