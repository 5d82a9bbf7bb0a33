package com.salespipeline.command.pipeline;

import com.salespipeline.command.contact.CommandOutcome;
import com.salespipeline.events.Stage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Answers given to requests with an Idempotency-Key, kept in the command database with the events: the outcome of
 * a command that was stored, or the problem details of one that was refused.
 */
public class IdempotencyRecords {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public IdempotencyRecords(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * A stored answer and the fingerprint of the request it answered.
     *
     * @param answer what a retry gets: a {@link CommandReply}, or a {@link ReplayedRefusal} to be thrown
     */
    public record Stored(String fingerprint, Object answer) {
    }

    public Optional<Stored> find(String principal, String key) {
        return jdbc.query("SELECT fingerprint, status, contact_id, stage, version, opportunity_id, problem"
                        + " FROM idempotency_record WHERE principal = ? AND idempotency_key = ?",
                (rs, row) -> new Stored(rs.getString(1), answer(rs)), principal, key).stream().findFirst();
    }

    private static Object answer(ResultSet rs) throws SQLException {
        String problem = rs.getString(7);
        if (problem != null) {
            return new ReplayedRefusal(new RecordedRefusal(rs.getInt(2), problem));
        }
        return new CommandReply(rs.getInt(2), new CommandOutcome(rs.getObject(3, UUID.class),
                Stage.valueOf(rs.getString(4)), rs.getLong(5), rs.getObject(6, UUID.class)), true);
    }

    public void save(IdempotencyClaim claim, CommandOutcome outcome) {
        jdbc.update("INSERT INTO idempotency_record (principal, idempotency_key, fingerprint, status, contact_id,"
                        + " stage, version, opportunity_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                claim.principal(), claim.key(), claim.fingerprint(), claim.successStatus(), outcome.contactId(),
                outcome.stage().name(), outcome.version(), outcome.opportunityId(),
                Timestamp.from(clock.instant()));
    }

    public void saveRefusal(IdempotencyClaim claim, RecordedRefusal refusal) {
        jdbc.update("INSERT INTO idempotency_record (principal, idempotency_key, fingerprint, status, problem,"
                        + " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                claim.principal(), claim.key(), claim.fingerprint(), refusal.status(), refusal.problemJson(),
                Timestamp.from(clock.instant()));
    }
}
