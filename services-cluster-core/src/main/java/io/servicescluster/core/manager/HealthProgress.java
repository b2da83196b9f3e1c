package io.servicescluster.core.manager;

import io.servicescluster.core.config.HealthSpec;
import java.time.Instant;

/** The health checks of one start (R16), as the decision loop counts them; loop-confined. */
final class HealthProgress {

    final HealthSpec spec;
    /** When the start began: failures before {@code startPeriod} has passed do not count. */
    final Instant startBegan;
    /** Failing checks in a row, counted while running. */
    int failures;
    /** The last failing check's detail, for the reasons of a start that never became healthy. */
    String lastFailure;

    HealthProgress(HealthSpec spec, Instant startBegan) {
        this.spec = spec;
        this.startBegan = startBegan;
    }
}
