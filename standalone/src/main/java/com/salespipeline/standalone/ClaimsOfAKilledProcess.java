package com.salespipeline.standalone;

import com.salespipeline.command.store.EventStoreConfiguration.CommandSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Frees, as the app starts, every claim on a processor's segment that {@code token_entry} still holds. The
 * standalone app is the only process on its database (H2 locks its file to one process, and on PostgreSQL the
 * read-your-writes wait already assumes one app appending), so a claim found before this process's processors
 * start belongs to a process that was killed. Left alone, it would keep the projection from claiming its segment
 * until the claim expired (Axon's 10 s): reads would answer without a contact captured moments before.
 * <p>
 * Runs while the beans are made, before the processors start: Spring starts them with the other lifecycle beans
 * once every singleton exists.
 */
@Component
class ClaimsOfAKilledProcess {

    private static final Logger log = LoggerFactory.getLogger(ClaimsOfAKilledProcess.class);

    private final int released;

    /** @param schema made once the command side's tables, {@code token_entry} among them, are migrated */
    ClaimsOfAKilledProcess(CommandSchema schema, JdbcTemplate jdbc) {
        released = jdbc.update("UPDATE token_entry SET owner = NULL WHERE owner IS NOT NULL");
        if (released > 0) {
            log.info("released {} segment claim(s) left by a process that did not stop cleanly", released);
        }
    }

    int released() {
        return released;
    }
}
