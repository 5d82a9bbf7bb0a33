package com.salespipeline.command.pipeline;

import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes what is committed to the database file before the commands of a batch are answered. PostgreSQL has
 * written its log when a commit returns. H2 with a write delay keeps commits in memory until its background
 * writer stores them (that writer is also what compacts its file; without it the file only grows): there a
 * {@code CHECKPOINT} stores them at once, which is what a commit with {@code WRITE_DELAY=0} would have done.
 */
public interface CommitsToDisk {

    /** For a database whose commit is written when it returns. */
    CommitsToDisk ON_COMMIT = () -> { };

    /** Returns once every transaction committed so far is written to the database's file. */
    void write();

    /** The way for the database behind {@code dataSource}. */
    static CommitsToDisk of(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        boolean h2 = Boolean.TRUE.equals(jdbc.execute((java.sql.Connection connection) ->
                connection.getMetaData().getDatabaseProductName().equals("H2")));
        return h2 ? () -> jdbc.execute("CHECKPOINT") : ON_COMMIT;
    }
}
