package io.servicescluster.core.manager;

/**
 * Where a service and its container are, in transition order. The manager's loop is the only
 * place that changes it.
 */
public enum ServiceState {
    /** Declared; its container is not made (not yet, or it could not be). */
    NEW,
    /** Its container is being made. */
    CREATING,
    /** Its container exists; the service has not started yet. */
    CREATED,
    /** A remote is being launched and the service's {@code start} runs. */
    STARTING,
    /** {@code start} returned; dependents may start (R6). */
    RUNNING,
    /** {@code close} runs. */
    CLOSING,
    /** Not running: closed on request, crashed or failed. It may start again. */
    CLOSED,
    /** Its container is being removed. */
    DESTROYING,
    /** Its container is gone. Terminal. */
    DESTROYED;

    /**
     * Whether the decision loop may move a service from this state to {@code next}: the one
     * place where the legal transitions are written down ({@link ServiceNode#moveTo} throws on
     * any other). A container that could not be made leaves its service {@code new} again (it is
     * {@code failed}, and kept down until a user's restart tries again); {@code closed} follows
     * {@code starting} and {@code running} directly when a start fails or a service crashes.
     */
    public boolean mayMoveTo(ServiceState next) {
        return switch (this) {
            case NEW -> next == CREATING;
            case CREATING -> next == CREATED || next == NEW;
            case CREATED -> next == STARTING || next == DESTROYING;
            case STARTING -> next == RUNNING || next == CLOSED;
            case RUNNING -> next == CLOSING || next == CLOSED;
            case CLOSING -> next == CLOSED;
            case CLOSED -> next == STARTING || next == DESTROYING;
            case DESTROYING -> next == DESTROYED;
            case DESTROYED -> false;
        };
    }

    /** Whether work for this service is under way, off the loop. */
    public boolean isBusy() {
        return this == CREATING || this == STARTING || this == CLOSING || this == DESTROYING;
    }

    /** Whether a remote may be alive: starting, running or closing. */
    public boolean isActive() {
        return this == STARTING || this == RUNNING || this == CLOSING;
    }

    /** Whether the container exists and nothing runs in it, so it may start or be destroyed. */
    public boolean isIdleInContainer() {
        return this == CREATED || this == CLOSED;
    }
}
