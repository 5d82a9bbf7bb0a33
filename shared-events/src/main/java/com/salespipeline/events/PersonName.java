package com.salespipeline.events;

/**
 * A person's name as given and family name. A full name is split at its last space: the last word is
 * the family name, the words before it the given name; a single word is a given name only.
 *
 * @param givenName  the given name(s)
 * @param familyName the family name, null when only one word was given
 */
public record PersonName(String givenName, String familyName) {

    /** Splits a full name as described on this type; surrounding white space is dropped. */
    public static PersonName parse(String fullName) {
        String name = fullName == null ? "" : fullName.trim().replaceAll("\\s+", " ");
        int lastSpace = name.lastIndexOf(' ');
        return lastSpace < 0 ? new PersonName(name, null)
                : new PersonName(name.substring(0, lastSpace), name.substring(lastSpace + 1));
    }

    /** Given and family name joined by a space. */
    public String fullName() {
        return familyName == null ? givenName : givenName + " " + familyName;
    }
}
