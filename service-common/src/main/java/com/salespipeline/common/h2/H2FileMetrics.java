package com.salespipeline.common.h2;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.stereotype.Component;

/**
 * The H2 file's size and the share of it that live data takes, as metrics: under heavy load the file grows well
 * beyond its live data (H2 keeps every chunk it wrote for its retention time, 45 s), and this is how an operator
 * watches it ({@code GET /actuator/metrics/pipeline.h2.file.size}, role ADMIN). Nothing is registered when the data
 * source is not an H2 file.
 */
@Component
@ConditionalOnClass(name = {"org.h2.mvstore.MVStore", "io.micrometer.core.instrument.binder.MeterBinder"})
public class H2FileMetrics implements MeterBinder {

    private final H2FileStore store;

    public H2FileMetrics(DataSource dataSource) {
        this.store = new H2FileStore(dataSource);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (store.current() == null) {
            return;
        }
        Gauge.builder("pipeline.h2.file.size", store, fileStore(FileStore::size)).strongReference(true).baseUnit("bytes")
                .description("size of the H2 file, live data and the chunks H2 has not yet reused").register(registry);
        Gauge.builder("pipeline.h2.file.live", store, fileStore(FileStore::getChunksFillRate)).strongReference(true)
                .baseUnit("percent")
                .description("share of the H2 file's chunks that live data takes").register(registry);
    }

    /** A gauge's reading of the open store; NaN while there is none (the database closed). */
    private static ToDoubleFunction<H2FileStore> fileStore(ToDoubleFunction<FileStore<?>> reading) {
        return h2 -> {
            MVStore mvStore = h2.current();
            return mvStore == null ? Double.NaN : reading.applyAsDouble(mvStore.getFileStore());
        };
    }
}
