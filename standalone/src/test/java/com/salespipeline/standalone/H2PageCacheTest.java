package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.UrlResource;

/**
 * H2 keeps a CACHE_SIZE in the database file and applies it on every later open that does not name one. The
 * services' default URLs name one (the separate services H2's own 16 MB, the standalone app 8 MB, whose young
 * pauses it halved), so a larger value stored by another tool (the benchmark's seeding stores 512 MB, which made
 * the app's young collections three times as long) does not carry over into the app.
 */
class H2PageCacheTest {

    static final String STORED_BY_ANOTHER_TOOL = ";CACHE_SIZE=524288";

    @TempDir
    Path dataDir;

    /** Megabytes of page cache each service's default URL names. */
    static final Map<String, Integer> NAMED_CACHE_MB = Map.of("pipeline-standalone", 8, "command-side", 16,
            "query-side", 16);

    @Test
    void everyServicesDefaultUrlOpensWithItsOwnCacheOverALargerStoredOne() throws Exception {
        Map<String, String> urls = defaultH2Urls();

        assertThat(urls).containsOnlyKeys(NAMED_CACHE_MB.keySet());
        for (Map.Entry<String, String> service : urls.entrySet()) {
            String url = service.getValue().replace("${PIPELINE_DATA_DIR:./data}", dataDir.toString());
            assertThat(url).as(service.getKey()).startsWith("jdbc:h2:file:" + dataDir);
            storeLargeCacheIn(url);
            try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
                assertThat(cacheMegabytes(connection)).as(service.getKey()).isEqualTo(NAMED_CACHE_MB.get(service.getKey()));
            }
        }
    }

    @Test
    void theStandaloneAppRunsWithEightMegabytesOverALargerStoredCache() throws SQLException {
        storeLargeCacheIn("jdbc:h2:file:" + dataDir + "/pipeline");

        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir);
             Connection connection = app.getBean(DataSource.class).getConnection()) {
            assertThat(cacheMegabytes(connection)).isEqualTo(8);
        }
    }

    /** Opens the file once with a 512 MB cache, which H2 then stores in it. */
    private static void storeLargeCacheIn(String url) throws SQLException {
        String file = url.contains(";") ? url.substring(0, url.indexOf(';')) : url;
        try (Connection connection = DriverManager.getConnection(file + STORED_BY_ANOTHER_TOOL, "sa", "")) {
            assertThat(cacheMegabytes(connection)).isEqualTo(512);
        }
        try (Connection connection = DriverManager.getConnection(file, "sa", "")) {
            assertThat(cacheMegabytes(connection)).as("kept by an open that names no cache").isEqualTo(512);
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

    /** spring.datasource.url of each service's application.yml on the classpath, by application name. */
    static Map<String, String> defaultH2Urls() throws IOException {
        Map<String, String> urls = new LinkedHashMap<>();
        for (URL resource : Collections.list(H2PageCacheTest.class.getClassLoader().getResources("application.yml"))) {
            YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
            yaml.setResources(new UrlResource(resource));
            Properties properties = yaml.getObject();
            urls.put(properties.getProperty("spring.application.name"), properties.getProperty("spring.datasource.url"));
        }
        return urls;
    }
}
