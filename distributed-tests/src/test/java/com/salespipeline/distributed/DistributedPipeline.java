package com.salespipeline.distributed;

import com.salespipeline.command.api.HttpClientSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The distributed setup with the real pieces, as README describes it: command-side.jar on its PostgreSQL database, a
 * Kafka broker process, query-side.jar on its own PostgreSQL database (two databases of one embedded server).
 */
final class DistributedPipeline implements AutoCloseable {

    static final String KEYS = "service-dev-key=SERVICE:dev-service,analyst-dev-key=ANALYST:dev-analyst,"
            + "admin-dev-key=ADMIN:dev-admin";
    /**
     * How long the query side waits for a pooled connection (README: 30 s by default), shorter to keep the database
     * outage short in which requests are refused.
     */
    static final int QUERY_SIDE_CONNECTION_TIMEOUT_MS = 5_000;

    private final Path directory;
    private EmbeddedPostgres postgres;
    private KafkaBrokerProcess kafka;
    private ServiceProcess commandSide;
    private ServiceProcess querySide;
    private Path querySideLog;

    private DistributedPipeline(Path directory) {
        this.directory = directory;
    }

    /** Starts everything, the services' logs under {@code target/it-logs} (they outlive the run, for when a check fails). */
    static DistributedPipeline start(Path directory) throws Exception {
        DistributedPipeline pipeline = new DistributedPipeline(directory);
        try {
            pipeline.startEverything();
            return pipeline;
        } catch (Exception | Error e) {
            pipeline.close();
            throw e;
        }
    }

    private void startEverything() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE command");
            sql.execute("CREATE DATABASE query");
        }
        kafka = new KafkaBrokerProcess(directory.resolve("kafka"), ServiceProcess.freePort(), ServiceProcess.freePort());
        kafka.start();
        Path logs = Files.createDirectories(Path.of("target", "it-logs", String.valueOf(System.currentTimeMillis())));
        commandSide = new ServiceProcess("command-side.jar", logs.resolve("command-side.log"),
                environment("command")).start();
        querySideLog = logs.resolve("query-side.log");
        querySide = new ServiceProcess("query-side.jar", querySideLog,
                environment("query")).start();
    }

    private Map<String, String> environment(String database) {
        Map<String, String> environment = new HashMap<>();
        environment.put("SPRING_DATASOURCE_URL", postgres.getJdbcUrl("postgres", database));
        environment.put("SPRING_DATASOURCE_USERNAME", "postgres");
        environment.put("SPRING_DATASOURCE_PASSWORD", "");
        environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        environment.put("PIPELINE_API_KEYS", KEYS);
        environment.put("PIPELINE_DATA_DIR", directory.toString());
        if (database.equals("query")) {
            environment.put("SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT", String.valueOf(QUERY_SIDE_CONNECTION_TIMEOUT_MS));
        }
        return environment;
    }

    HttpClientSupport commands() {
        return commandSide.client();
    }

    HttpClientSupport queries() {
        return querySide.client();
    }

    /** Stops the query side and starts it again, waiting until its health answers 200. */
    void restartQuerySide() throws Exception {
        querySide.close();
        querySide.start();
    }

    Path querySideLog() {
        return querySideLog;
    }

    EmbeddedPostgres postgres() {
        return postgres;
    }

    KafkaBrokerProcess kafka() {
        return kafka;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable running : new AutoCloseable[] {querySide, commandSide, kafka, postgres}) {
            if (running != null) {
                running.close();
            }
        }
    }
}
