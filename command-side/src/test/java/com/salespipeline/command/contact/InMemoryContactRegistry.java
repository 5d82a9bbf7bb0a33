package com.salespipeline.command.contact;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The registry as a map, for tests without a database; compares emails by {@link ContactRegistry#emailKey}. */
final class InMemoryContactRegistry implements ContactRegistry {

    private final Map<String, UUID> byEmail = new HashMap<>();
    private final Set<UUID> ids = new HashSet<>();

    @Override
    public Optional<UUID> findByEmail(String email) {
        return Optional.ofNullable(byEmail.get(ContactRegistry.emailKey(email)));
    }

    @Override
    public boolean exists(UUID contactId) {
        return ids.contains(contactId);
    }

    @Override
    public void register(UUID contactId, String email) {
        ids.add(contactId);
        byEmail.put(ContactRegistry.emailKey(email), contactId);
    }

    int size() {
        return ids.size();
    }
}
