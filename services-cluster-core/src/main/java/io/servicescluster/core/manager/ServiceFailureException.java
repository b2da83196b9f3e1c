package io.servicescluster.core.manager;

/** Some service failed or crashed, or cannot start because a dependency did; the message names them. */
public final class ServiceFailureException extends IllegalStateException {

    public ServiceFailureException(String message) {
        super(message);
    }
}
