package com.salespipeline.common.config;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code PIPELINE_DATA_DIR} made absolute against the working directory before the H2 URLs are resolved with it: H2
 * refuses a file path that is relative without saying so ({@code mydata/pipeline}: "implicitly relative to the current
 * working directory is not allowed"), so the app did not start with a relative folder unless it began with
 * {@code ./}.
 */
public class DataDirectory implements EnvironmentPostProcessor {

    static final String NAME = "PIPELINE_DATA_DIR";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String given = environment.getProperty(NAME);
        if (given == null || given.isBlank() || given.startsWith("~")) {
            return;
        }
        Path absolute = Path.of(given).toAbsolutePath().normalize();
        if (!absolute.toString().equals(given)) {
            environment.getPropertySources().addFirst(new MapPropertySource("absolute-data-directory",
                    Map.of(NAME, absolute.toString())));
        }
    }
}
