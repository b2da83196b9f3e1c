package io.servicescluster.api;

import java.util.Objects;

/**
 * The result of a {@link HealthCheck}: healthy, or failing with a {@code detail} that the
 * manager shows in the {@code unhealthy} event and, after {@code retries} failures, in the
 * {@code crashed} reason.
 */
public record Health(boolean healthy, String detail) {

    private static final Health OK = new Health(true, "");

    public Health {
        Objects.requireNonNull(detail, "detail");
    }

    /** A passing check. */
    public static Health ok() {
        return OK;
    }

    /** A failing check, saying why. */
    public static Health failing(String detail) {
        return new Health(false, detail);
    }
}
