package com.salespipeline.benchmarks.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the harness's databases leave behind: no seeding settings in the app's H2 file, PostgreSQL's files on request. */
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

    @Test
    void embeddedPostgresKeepsItsFilesOnlyWhenAsked() throws Exception {
        Path kept = dataDir.resolve("kept");
        Path deleted = dataDir.resolve("deleted");
        for (Path dir : new Path[] {kept, deleted}) {
            try (BenchDatabase database = BenchDatabase.embeddedPostgres(dir, dir == kept,
                         Map.of("max_wal_size", "3GB"));
                 Connection connection = database.baselineConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE left_behind (id INT)");
                assertThat(dir.resolve("pg/PG_VERSION")).exists();
                try (ResultSet setting = statement.executeQuery("SHOW max_wal_size")) {
                    assertThat(setting.next()).isTrue();
                    assertThat(setting.getString(1)).as("a setting given to the server").isEqualTo("3GB");
                }
            }
        }

        assertThat(kept.resolve("pg/PG_VERSION")).exists();
        assertThat(deleted.resolve("pg")).satisfiesAnyOf(
                pg -> assertThat(pg).doesNotExist(), pg -> assertThat(Files.list(pg)).isEmpty());
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
