package io.servicescluster.verify;

/** Where a service is, as far as its log tells: the manager's states, seen from outside. */
enum State {
    /** No container yet (or never). */
    NONE,
    /** Its container exists; not started. */
    CREATED,
    STARTING,
    RUNNING,
    CLOSING,
    /** {@code failed} or {@code crashed} was logged; its {@code closed} comes next. */
    ENDING,
    CLOSED,
    DESTROYED;

    /** Whether a remote may be alive: started and not yet closed. */
    boolean active() {
        return this == STARTING || this == RUNNING || this == CLOSING || this == ENDING;
    }

    /** Whether its container is there: created and not destroyed. */
    boolean hasContainer() {
        return this != NONE && this != DESTROYED;
    }
}
