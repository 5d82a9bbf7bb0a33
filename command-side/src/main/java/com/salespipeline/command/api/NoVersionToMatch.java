package com.salespipeline.command.api;

/**
 * {@code If-Match} on CaptureLead. The contact it would make has no version yet, so no version the caller names
 * can match, and RFC 9110 has a condition that cannot hold refuse the request (412) rather than be ignored: a
 * client that sent one expected something that is not the case.
 */
class NoVersionToMatch extends RuntimeException {

    NoVersionToMatch(String ifMatch) {
        super("If-Match " + ifMatch + " names a version, but CaptureLead makes a new contact, which has none yet;"
                + " send it without If-Match", null, false, false);
    }
}
