package com.salespipeline.command.contact;

import java.util.Optional;
import java.util.UUID;

/** The set of known contacts, kept so that an email (case-insensitive) and an id are unique. */
public interface ContactRegistry {

    /** The contact that uses this email, compared case-insensitively. */
    Optional<UUID> findByEmail(String email);

    boolean exists(UUID contactId);

    /** Records a new contact; called in the transaction that stores its LeadCaptured event. */
    void register(UUID contactId, String email);

    /** The form of an email that uniqueness is decided on. */
    static String emailKey(String email) {
        return email.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
