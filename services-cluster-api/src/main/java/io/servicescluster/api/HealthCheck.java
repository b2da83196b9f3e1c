package io.servicescluster.api;

/**
 * A service's own readiness and liveness check (R16), registered with {@link
 * ServiceContext#health}. The manager calls it every {@code health.interval} on a thread of its
 * own, never on a request handler's; it may block up to {@code health.timeout}, after which it
 * counts as failing. Returning {@link Health#failing} or throwing is a failing check.
 */
@FunctionalInterface
public interface HealthCheck {
    Health check() throws Exception;
}
