package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Each H2 connection keeps its last parsed statements; H2's default of 8 is fewer than the projection and the command
 * path use in turn, which had every statement parsed again each time (docs/benchmarks.md, session 21). The services'
 * default URLs keep 64.
 */
class H2QueryCacheTest {

    @TempDir
    Path dataDir;

    @Test
    void everyServicesDefaultUrlKeepsSixtyFourParsedStatementsPerConnection() throws Exception {
        Map<String, String> urls = H2PageCacheTest.defaultH2Urls();

        assertThat(urls).containsOnlyKeys("pipeline-standalone", "command-side", "query-side");
        for (Map.Entry<String, String> service : urls.entrySet()) {
            String url = service.getValue().replace("${PIPELINE_DATA_DIR:./data}", dataDir.toString());
            try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
                assertThat(queryCacheSize(connection)).as(service.getKey()).isEqualTo("64");
            }
        }
    }

    @Test
    void theStandaloneAppsConnectionsKeepSixtyFourParsedStatements() throws SQLException {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir);
             Connection connection = app.getBean(DataSource.class).getConnection()) {
            assertThat(queryCacheSize(connection)).isEqualTo("64");
        }
    }

    /** The database's QUERY_CACHE_SIZE setting ("8" when the URL leaves H2's default). */
    private static String queryCacheSize(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet setting = statement.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
            return setting.next() ? setting.getString(1) : null;
        }
    }
}
