package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

class ProjectionClaimHealthTest {

    @Test
    void outOfServiceUntilTheProjectionClaimsItsSegmentsThenUpForGood() {
        AtomicBoolean claimed = new AtomicBoolean(false);
        ProjectionClaimHealth health = new ProjectionClaimHealth(claimed::get);

        assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        claimed.set(true);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        // a replay's switch or a failing batch later is told by the reads, not by taking the app out of service
        claimed.set(false);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
}
