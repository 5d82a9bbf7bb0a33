package com.salespipeline.standalone;

import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code /actuator/health} out of service after a start until the projection has claimed every segment of
 * the event store once. Before that, a read cannot wait for the read model to take in what was stored before it
 * (nothing is following the history yet) and would answer without it; a client that waits for the app to be
 * healthy then reads its own writes from the first request. Later states (a replay switching generations, a
 * failing batch) do not take the app out of service: reads say those with {@code Read-Model-Behind}.
 */
@Component("readModel")
class ProjectionClaimHealth implements HealthIndicator {

    private final BooleanSupplier claimsEverySegment;
    private volatile boolean claimedOnce;

    @Autowired
    ProjectionClaimHealth(InProcessReadModelProgress progress) {
        this(progress::claimsEverySegment);
    }

    ProjectionClaimHealth(BooleanSupplier claimsEverySegment) {
        this.claimsEverySegment = claimsEverySegment;
    }

    @Override
    public Health health() {
        if (!claimedOnce && claimsEverySegment.getAsBoolean()) {
            claimedOnce = true;
        }
        return claimedOnce ? Health.up().build()
                : Health.outOfService().withDetail("projection", "not yet following the event store").build();
    }
}
