package com.salespipeline.command.audit;

import com.salespipeline.command.audit.EventChain.StoredEvent;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads one contact's events exactly as stored: the source of truth for history and verification. */
public class StoredEvents {

    private final JdbcTemplate jdbc;

    public StoredEvents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored rows of the contact, in sequence order. */
    public List<StoredEvent> of(UUID contactId) {
        return jdbc.query("SELECT event_identifier, aggregate_identifier, sequence_number, time_stamp, payload_type,"
                        + " payload_revision, payload, meta_data FROM domain_event_entry WHERE aggregate_identifier = ?"
                        + " ORDER BY sequence_number, global_index",
                (rs, row) -> new StoredEvent(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)),
                contactId.toString());
    }

    /** Whether the contact's event at {@code sequence} is stored. */
    public boolean has(UUID contactId, long sequence) {
        return !jdbc.queryForList("SELECT 1 FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?",
                Integer.class, contactId.toString(), sequence).isEmpty();
    }

    /** The chain head written with the contact's newest event. */
    public Optional<Head> head(UUID contactId) {
        return jdbc.query("SELECT sequence_number, hash FROM event_chain_head WHERE aggregate_identifier = ?",
                (rs, row) -> new Head(rs.getLong(1), rs.getString(2)), contactId.toString()).stream().findFirst();
    }

    /** The newest link of a contact's chain. */
    public record Head(long sequence, String hash) {
    }
}
