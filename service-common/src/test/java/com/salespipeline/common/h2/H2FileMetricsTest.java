package com.salespipeline.common.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

class H2FileMetricsTest {

    @TempDir
    Path dir;

    @Test
    void theGaugesReadTheFileAsItGrows() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("store") + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1");
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        jdbc.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new H2FileMetrics(h2).bindTo(registry);
        Path file = dir.resolve("store.mv.db");
        double empty = registry.get("pipeline.h2.file.size").gauge().value();
        assertThat(empty).isEqualTo(Files.size(file));

        for (int i = 0; i < 2_000; i++) {
            jdbc.update("INSERT INTO t VALUES (?, ?)", i, "a row of some length " + i);
        }

        double written = registry.get("pipeline.h2.file.size").gauge().value();
        assertThat(written).isEqualTo(Files.size(file)).isGreaterThan(empty);
        assertThat(registry.get("pipeline.h2.file.size").gauge().getId().getBaseUnit()).isEqualTo("bytes");
        // a commit per row rewrote the table's last pages each time: most of what was written is no longer live
        assertThat(registry.get("pipeline.h2.file.live").gauge().value()).isBetween(1.0, 99.0);
        jdbc.execute("SHUTDOWN");
    }

    @Test
    void aDatabaseInMemoryHasNoGauges() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:metrics-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        new H2FileMetrics(h2).bindTo(registry);

        assertThat(registry.getMeters()).isEmpty();
    }
}
