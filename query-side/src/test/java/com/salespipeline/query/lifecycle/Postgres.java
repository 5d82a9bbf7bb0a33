package com.salespipeline.query.lifecycle;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One embedded PostgreSQL per test JVM, started on first use and stopped with the JVM. */
public final class Postgres {

    private static ReadModelDatabase database;

    private Postgres() {
    }

    /** The read model migrated on PostgreSQL; tests share it and clear it as they need. */
    public static synchronized ReadModelDatabase readModel() {
        if (database == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
                database = new ReadModelDatabase(postgres.getPostgresDatabase());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
        return database;
    }
}
