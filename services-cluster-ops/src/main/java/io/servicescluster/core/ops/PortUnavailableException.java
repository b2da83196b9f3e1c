package io.servicescluster.core.ops;

import java.net.BindException;

/**
 * The metrics endpoint could not listen on the port it was given (taken by another program, or
 * not allowed); says which port, so that the caller can name the option that chose it.
 */
public final class PortUnavailableException extends BindException {

    private final int port;

    public PortUnavailableException(int port, String host, BindException cause) {
        super(message(port, host, cause));
        this.port = port;
        initCause(cause);
    }

    private static String message(int port, String host, BindException cause) {
        String reason = String.valueOf(cause.getMessage());
        return reason.contains("in use")
                ? "port " + port + " on " + host + " is already in use"
                : "cannot listen on port " + port + " on " + host + ": " + reason;
    }

    /** The port asked for. */
    public int port() {
        return port;
    }
}
