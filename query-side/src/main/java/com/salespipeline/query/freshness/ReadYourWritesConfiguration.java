package com.salespipeline.query.freshness;

import com.salespipeline.query.deadletter.DeadLetterPresence;
import java.time.Duration;
import java.util.Optional;
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
 * has been answered; there reads answer at once. Both say when events are parked as dead letters.
 */
@Configuration(proxyBeanMethods = false)
class ReadYourWritesConfiguration {

    @Bean
    WebMvcConfigurer readYourWrites(ObjectProvider<ReadModelProgress> progress,
                                    ObjectProvider<DeadLetterPresence> deadLetters,
                                    @Value("${pipeline.query.catch-up-timeout:2s}") Duration timeout,
                                    @Value("${pipeline.query.catch-up-max-waiting:32}") int maxWaiting) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                Optional<CatchUp> catchUp = Optional.ofNullable(progress.getIfAvailable())
                        .filter(available -> !timeout.isZero() && !timeout.isNegative() && maxWaiting > 0)
                        .map(available -> new CatchUp(available, timeout, maxWaiting));
                Optional<DeadLetterPresence> parked = Optional.ofNullable(deadLetters.getIfAvailable());
                if (catchUp.isPresent() || parked.isPresent()) {
                    // a contact's history and its verification are read from the event store, not the read model
                    registry.addInterceptor(new ReadYourWritesInterceptor(catchUp, parked))
                            .addPathPatterns("/api/reports/**", "/api/contacts", "/api/contacts/*");
                }
            }
        };
    }
}
