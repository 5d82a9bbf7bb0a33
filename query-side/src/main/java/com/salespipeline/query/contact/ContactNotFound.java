package com.salespipeline.query.contact;

/** No contact with that id in the read model: a 404. */
public class ContactNotFound extends RuntimeException {

    public ContactNotFound(String contactId) {
        super("no contact with id '" + contactId + "'");
    }
}
