package com.salespipeline.query.deadletter;

import com.salespipeline.query.lifecycle.LifecycleProjection;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Whether the read models lack events: any event parked as a dead letter is missing from them until retried. */
public class DeadLetterPresence {

    private final JdbcTemplate jdbc;

    DeadLetterPresence(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Whether any event of the read models' processing group is parked. */
    public boolean anyParked() {
        // one index probe, not a count: a read asks this every time
        return !jdbc.queryForList("SELECT 1 FROM " + DeadLetterConfiguration.TABLE
                        + " WHERE processing_group = ? FETCH FIRST 1 ROWS ONLY", Integer.class,
                LifecycleProjection.PROCESSING_GROUP).isEmpty();
    }

    /** Whether an event of this contact is parked: its events are parked as one sequence, named by its id. */
    public boolean parked(String contactId) {
        return !jdbc.queryForList("SELECT 1 FROM " + DeadLetterConfiguration.TABLE
                        + " WHERE processing_group = ? AND sequence_identifier = ? FETCH FIRST 1 ROWS ONLY",
                Integer.class, LifecycleProjection.PROCESSING_GROUP, contactId).isEmpty();
    }
}
