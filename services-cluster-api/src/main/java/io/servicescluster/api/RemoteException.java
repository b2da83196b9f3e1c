package io.servicescluster.api;

/**
 * A request failed on the peer's side: its handler threw, or it has no handler for the method.
 * Carries the name of the exception class that the peer's handler threw (which need not exist in
 * the caller) and its message. {@link #getMessage()} reads {@code CLASS: MESSAGE}.
 *
 * <p>Futures returned by {@link Peer#request} complete exceptionally with this exception; note that
 * {@code join()} wraps it in a {@link java.util.concurrent.CompletionException} and {@code get()}
 * in an {@link java.util.concurrent.ExecutionException}.
 */
public final class RemoteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String remoteClassName;
    private final String remoteMessage;

    /**
     * @param remoteClassName the fully qualified name of the exception class thrown by the peer
     * @param remoteMessage its message, empty if it had none
     */
    public RemoteException(String remoteClassName, String remoteMessage) {
        super(remoteMessage.isEmpty() ? remoteClassName : remoteClassName + ": " + remoteMessage, null, false, false);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
    }

    /** The fully qualified name of the exception class thrown on the peer's side. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** The message of the exception thrown on the peer's side; empty if it had none. */
    public String remoteMessage() {
        return remoteMessage;
    }
}
