package com.salespipeline.benchmarks.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.Results;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.h2.mvstore.MVStoreTool;

/**
 * Where the app keeps its events during a run: an H2 file in the app's data folder (the embedded default), or
 * a PostgreSQL database (embedded, started here, or one given by URL). Also where the append baseline writes:
 * the same PostgreSQL database, or for H2 a second file in the same folder with the app's URL options, since
 * the app's own file is locked while it runs.
 */
public abstract class BenchDatabase implements AutoCloseable {

    /** The table the append baseline writes, shaped like domain_event_entry. */
    public static final String BASELINE_TABLE = "bench_event_entry";

    protected final Path dataDir;

    protected BenchDatabase(Path dataDir) {
        this.dataDir = dataDir;
    }

    public abstract String name();

    /** "h2" or "postgresql": the folder name of the vendor's migrations. */
    public abstract String vendor();

    /** A pooled connection to the app's database, for seeding and the replay baseline while the app is stopped. */
    public HikariDataSource storeDataSource(int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(storeUrl() + seedingUrlOptions());
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("bench-" + name());
        return new HikariDataSource(config);
    }

    /** The environment that points the standalone app at this database. */
    public Map<String, String> appEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("PIPELINE_DATA_DIR", dataDir.toAbsolutePath().toString());
        return environment;
    }

    /** A connection of the append baseline: one per simulated client. */
    public Connection baselineConnection() throws SQLException {
        return DriverManager.getConnection(baselineUrl(), user(), password());
    }

    protected abstract String storeUrl();

    /** Connection settings for seeding that change how fast rows are written, never what is written. */
    protected String seedingUrlOptions() {
        return "";
    }

    /**
     * Undoes what {@link #seedingUrlOptions()} stored in the database itself, so that the app, and any jar of an
     * earlier version run against it, finds the database as a user's would be.
     */
    public void restoreAfterSeeding(HikariDataSource seeding) throws SQLException {
    }

    /**
     * Compacts what the seeding left, with no connection open, as an operator would after a bulk load; notes in
     * {@code figures} what it did. Nothing on PostgreSQL, whose autovacuum is the app's own.
     */
    public void compactAfterSeeding(ObjectNode figures, Progress progress) throws IOException {
    }

    protected abstract String baselineUrl();

    protected abstract String user();

    protected abstract String password();

    /** Removes what the append baseline left. */
    public abstract void dropBaseline() throws SQLException;

    public static BenchDatabase h2(Path dataDir) {
        return new H2(dataDir);
    }

    /**
     * An embedded PostgreSQL whose files are deleted when it stops, unless {@code keepFiles}, with {@code settings}
     * on top of the harness's own.
     */
    public static BenchDatabase embeddedPostgres(Path dataDir, boolean keepFiles, Map<String, String> settings) {
        return new Postgres(dataDir, null, null, null, keepFiles, settings);
    }

    public static BenchDatabase postgres(Path dataDir, String url, String user, String password) {
        return new Postgres(dataDir, url, user, password, false, Map.of());
    }

    private static final class H2 extends BenchDatabase {

        static final int H2_DEFAULT_CACHE_KB = 16_384;

        H2(Path dataDir) {
            super(dataDir);
        }

        @Override
        public String name() {
            return "h2";
        }

        @Override
        public String vendor() {
            return "h2";
        }

        // the file of the standalone app's URL for this PIPELINE_DATA_DIR (the app's URL adds CACHE_SIZE=8192 and
        // QUERY_CACHE_SIZE=64)
        @Override
        protected String storeUrl() {
            return "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/pipeline;WRITE_DELAY=0";
        }

        @Override
        protected String baselineUrl() {
            return "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/baseline;WRITE_DELAY=0";
        }

        // H2's 16 MB default page cache thrashes on random-key index inserts into a growing store
        @Override
        protected String seedingUrlOptions() {
            return ";CACHE_SIZE=524288";
        }

        // H2 stores the cache size in the file and keeps it on every open that names none: an app left with
        // 512 MB of page cache in its 512 MB heap spent 8 % of its time in young collections
        @Override
        public void restoreAfterSeeding(HikariDataSource seeding) throws SQLException {
            try (Connection connection = seeding.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SET CACHE_SIZE " + H2_DEFAULT_CACHE_KB);
            }
        }

        // H2's offline compaction: the live pages copied into a new file, which then replaces the old one
        @Override
        public void compactAfterSeeding(ObjectNode figures, Progress progress) throws IOException {
            Path file = dataDir.resolve("pipeline.mv.db");
            progress.phase(name() + ": compacting the seeded file (" + Files.size(file) / 1_048_576 + " MB)");
            long before = Files.size(file);
            long start = System.nanoTime();
            MVStoreTool.compact(file.toString(), false);
            figures.put("fileMbBeforeCompaction", before / 1_048_576);
            figures.put("fileMb", Files.size(file) / 1_048_576);
            figures.put("compactionSeconds", Results.round((System.nanoTime() - start) / 1e9));
        }

        @Override
        protected String user() {
            return "sa";
        }

        @Override
        protected String password() {
            return "";
        }

        @Override
        public void dropBaseline() {
            try {
                Files.deleteIfExists(dataDir.resolve("baseline.mv.db"));
                Files.deleteIfExists(dataDir.resolve("baseline.trace.db"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
        }
    }

    private static final class Postgres extends BenchDatabase {

        private final EmbeddedPostgres embedded;
        private final String url;
        private final String user;
        private final String password;

        Postgres(Path dataDir, String url, String user, String password, boolean keepFiles,
                 Map<String, String> settings) {
            super(dataDir);
            if (url == null) {
                try {
                    Files.createDirectories(dataDir);
                    // zonky turns synchronous_commit off for tests; a benchmark of durable commits needs it on
                    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                            .setDataDirectory(dataDir.resolve("pg"))
                            .setCleanDataDirectory(!keepFiles)
                            .setServerConfig("synchronous_commit", "on")
                            .setServerConfig("max_connections", "300");
                    settings.forEach(builder::setServerConfig);
                    embedded = builder.start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
                }
                this.url = embedded.getJdbcUrl("postgres", "postgres");
                this.user = "postgres";
                this.password = "postgres";
            } else {
                embedded = null;
                this.url = url;
                this.user = user;
                this.password = password;
            }
        }

        @Override
        public String name() {
            return "postgres";
        }

        @Override
        public String vendor() {
            return "postgresql";
        }

        @Override
        protected String storeUrl() {
            return url;
        }

        @Override
        protected String baselineUrl() {
            return url;
        }

        @Override
        protected String user() {
            return user;
        }

        @Override
        protected String password() {
            return password;
        }

        @Override
        public Map<String, String> appEnvironment() {
            Map<String, String> environment = super.appEnvironment();
            environment.put("SPRING_DATASOURCE_URL", url);
            environment.put("SPRING_DATASOURCE_USERNAME", user == null ? "" : user);
            environment.put("SPRING_DATASOURCE_PASSWORD", password == null ? "" : password);
            return environment;
        }

        @Override
        public void dropBaseline() throws SQLException {
            try (Connection connection = baselineConnection()) {
                connection.createStatement().execute("DROP TABLE IF EXISTS " + BASELINE_TABLE);
            }
        }

        @Override
        public void close() throws IOException {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
