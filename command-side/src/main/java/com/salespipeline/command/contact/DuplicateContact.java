package com.salespipeline.command.contact;

import java.util.UUID;

/** A lead with this email (case-insensitive) or this id exists already. */
public class DuplicateContact extends ContactRefused {

    private final UUID existingContactId;
    private final boolean sameEmail;

    private DuplicateContact(UUID existingContactId, boolean sameEmail, String message) {
        super(message);
        this.existingContactId = existingContactId;
        this.sameEmail = sameEmail;
    }

    public static DuplicateContact email(UUID existingContactId) {
        return new DuplicateContact(existingContactId, true,
                "a contact with this email exists already: " + existingContactId);
    }

    public static DuplicateContact id(UUID existingContactId) {
        return new DuplicateContact(existingContactId, false,
                "a contact with id " + existingContactId + " exists already");
    }

    @Override
    public String code() {
        return sameEmail ? "duplicate-email" : "duplicate-contact-id";
    }

    public UUID existingContactId() {
        return existingContactId;
    }
}
