package com.salespipeline.query.contact;

import java.time.Instant;

/** No contact with that id in the read model: a 404. */
public class ContactNotFound extends RuntimeException {

    public ContactNotFound(String contactId) {
        super("no contact with id '" + contactId + "'");
    }

    /** The contact exists now, or not: either way none with that id had been captured by {@code asOf}. */
    public ContactNotFound(String contactId, Instant asOf) {
        super("no contact with id '" + contactId + "' had been captured by asOf " + asOf);
    }
}
