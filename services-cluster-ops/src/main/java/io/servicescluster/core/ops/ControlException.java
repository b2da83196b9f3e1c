package io.servicescluster.core.ops;

import java.util.List;

/** The manager refused a control request, or could not be reached; the message says why. */
public final class ControlException extends RuntimeException {

    private final List<String> services;

    /**
     * @param message why, for people
     * @param services the cluster's service names, when the request named an unknown one; else empty
     */
    public ControlException(String message, List<String> services) {
        super(message);
        this.services = List.copyOf(services);
    }

    /** The cluster's service names when a request named an unknown service; else empty. */
    public List<String> services() {
        return services;
    }
}
