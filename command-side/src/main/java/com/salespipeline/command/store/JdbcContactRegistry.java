package com.salespipeline.command.store;

import com.salespipeline.command.contact.ContactRegistry;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** The contact registry in the command database, written in the command's own transaction. */
public class JdbcContactRegistry implements ContactRegistry {

    private final JdbcTemplate jdbc;

    public JdbcContactRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<UUID> findByEmail(String email) {
        return jdbc.query("SELECT contact_id FROM contact_registry WHERE email_key = ?",
                (rs, row) -> rs.getObject(1, UUID.class), ContactRegistry.emailKey(email)).stream().findFirst();
    }

    @Override
    public boolean exists(UUID contactId) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM contact_registry WHERE contact_id = ?",
                Integer.class, contactId);
        return count != null && count > 0;
    }

    @Override
    public void register(UUID contactId, String email) {
        jdbc.update("INSERT INTO contact_registry (contact_id, email_key) VALUES (?, ?)",
                contactId, ContactRegistry.emailKey(email));
    }
}
