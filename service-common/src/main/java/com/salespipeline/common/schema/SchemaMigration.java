package com.salespipeline.common.schema;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings the command side's tables up to date with Flyway. The command side keeps its own history
 * table so that it can share one database with the query side (standalone) without mixing versions.
 */
public final class SchemaMigration {

    private SchemaMigration() {
    }

    /** Migrates the tables under {@code classpath:db/<area>/<vendor>} and returns the vendor found. */
    public static String migrate(DataSource dataSource, String area) {
        String vendor = vendorOf(dataSource);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/" + area + "/" + vendor)
                .table(area + "_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return vendor;
    }

    public static String vendorOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase();
            if (product.contains("postgres")) {
                return "postgresql";
            }
            if (product.contains("h2")) {
                return "h2";
            }
            throw new IllegalStateException("unsupported database: " + product + " (use H2 or PostgreSQL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database", e);
        }
    }
}
