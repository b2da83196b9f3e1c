package io.servicescluster.api;

/**
 * A peer cannot be reached, or stopped being reachable: its connection was refused, broke or was
 * closed (the peer closed or crashed), or it stopped reading for longer than the send timeout.
 * Every request still waiting for a reply on a broken connection fails with this exception at
 * once; nothing waits for a timeout.
 */
public final class PeerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed and why, naming the peer */
    public PeerUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message what failed and why, naming the peer
     * @param cause the underlying failure
     */
    public PeerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
