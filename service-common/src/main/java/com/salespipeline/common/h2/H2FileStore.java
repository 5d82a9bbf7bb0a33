package com.salespipeline.common.h2;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 store behind a data source when that is an H2 file: neither PostgreSQL nor a database in memory. H2 closes
 * its store when the last connection closes (without {@code DB_CLOSE_DELAY}) and opens a new one on the next, so
 * the store is looked up again whenever the one held is closed.
 */
final class H2FileStore {

    private static final Logger log = LoggerFactory.getLogger(H2FileStore.class);

    private final DataSource dataSource;
    private volatile MVStore store;
    private volatile boolean warned;

    H2FileStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The open store, or null when there is no H2 file behind the data source or it cannot be reached now. */
    MVStore current() {
        MVStore held = store;
        if (held == null || held.isClosed()) {
            held = lookUp();
            store = held;
        }
        return held == null || held.isClosed() ? null : held;
    }

    private MVStore lookUp() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)) {
                return null;
            }
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            MVStore mvStore = session.getDatabase().getStore().getMvStore();
            return mvStore.getFileStore() == null || mvStore.getFileStore().getFileName() == null ? null : mvStore;
        } catch (SQLException | ClassCastException e) {
            // once: the compaction and the metrics ask again every round and every scrape
            if (!warned) {
                warned = true;
                log.warn("the H2 store behind the data source could not be reached", e);
            }
            return null;
        }
    }
}
