package com.salespipeline.query.freshness;

/**
 * A read's wait for the read model was interrupted: the server is stopping. The read is not made, because the
 * thread keeps its interrupt, and H2 closes its whole database file when a thread that is interrupted reads it.
 */
public final class ReadInterrupted extends RuntimeException {

    /** @param cause the wait's interruption, or null when the thread came interrupted already */
    ReadInterrupted(InterruptedException cause) {
        super("the server is stopping; ask again", cause);
    }
}
