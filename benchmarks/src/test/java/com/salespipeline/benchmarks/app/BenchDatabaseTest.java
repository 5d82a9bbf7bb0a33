package com.salespipeline.benchmarks.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seeding's own H2 settings do not stay in the file that the app then opens. */
class BenchDatabaseTest {

    @TempDir
    Path dataDir;

    @Test
    void theH2FileLeftBySeedingOpensWithH2sDefaultCache() throws Exception {
        try (BenchDatabase database = BenchDatabase.h2(dataDir)) {
            try (HikariDataSource seeding = database.storeDataSource(1)) {
                try (Connection connection = seeding.getConnection()) {
                    assertThat(cacheMegabytes(connection)).as("while seeding").isEqualTo(512);
                }
                database.restoreAfterSeeding(seeding);
            }
            String fileWithoutOptions = "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/pipeline";
            try (Connection connection = DriverManager.getConnection(fileWithoutOptions, "sa", "")) {
                assertThat(cacheMegabytes(connection)).isEqualTo(16);
            }
        }
    }

    private static int cacheMegabytes(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet setting = statement.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")) {
            assertThat(setting.next()).isTrue();
            return Integer.parseInt(setting.getString(1));
        }
    }
}
