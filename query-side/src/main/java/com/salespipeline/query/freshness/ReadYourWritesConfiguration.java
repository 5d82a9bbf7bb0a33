package com.salespipeline.query.freshness;

import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Read-your-writes where the process can know it: when a {@link ReadModelProgress} exists (the standalone app),
 * reads of the read model wait for it to catch up, at most {@code pipeline.query.catch-up-timeout}. The query side
 * on its own follows a Kafka topic that the command side fills after its commits, so it cannot tell what a client
 * has been answered; there reads answer at once.
 */
@Configuration(proxyBeanMethods = false)
class ReadYourWritesConfiguration {

    @Bean
    WebMvcConfigurer readYourWrites(ObjectProvider<ReadModelProgress> progress,
                                    @Value("${pipeline.query.catch-up-timeout:2s}") Duration timeout) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                ReadModelProgress available = progress.getIfAvailable();
                if (available != null && !timeout.isZero() && !timeout.isNegative()) {
                    // a contact's history and its verification are read from the event store, not the read model
                    registry.addInterceptor(new ReadYourWritesInterceptor(new CatchUp(available, timeout)))
                            .addPathPatterns("/api/reports/**", "/api/contacts", "/api/contacts/*");
                }
            }
        };
    }
}
