package com.salespipeline.query.lifecycle;

/**
 * An event that does not fit the read model's rows (an unknown contact, another from-stage, a second
 * capture), refused before it wrote anything: parking it needs no savepoint.
 */
public class EventRefused extends IllegalStateException {

    EventRefused(String message) {
        super(message);
    }
}
