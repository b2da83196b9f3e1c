package io.servicescluster.api;

/**
 * A service: user code that the cluster runs inside its own container.
 *
 * <p>The runtime creates one instance per start (R10) with the public no-argument constructor,
 * calls {@link #start} once, and {@link #close} once when the service must stop. Each is called
 * on a platform thread of the runtime's own ("service-start", "service-close"), never
 * concurrently with each other; both may block. The service may start virtual threads of its own.
 */
public interface Service {

    /**
     * Starts the service. Return when it is ready to serve; throw to fail the start (R12).
     *
     * @param context the service's view of the cluster, valid until {@link #close} returns
     * @throws Exception any failure; the service is reported {@code failed} with its message
     */
    void start(ServiceContext context) throws Exception;

    /**
     * Stops the service and releases what it holds. Called once, after a successful
     * {@link #start}. A close that exceeds the close timeout is killed (R13).
     *
     * @throws Exception reported, but the service still counts as closed
     */
    default void close() throws Exception {
    }
}
