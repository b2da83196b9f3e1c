package io.servicescluster.remote;

/**
 * A start that failed for a reason the user can act on (class not found, not a service, …):
 * its message is the complete reason sent in {@code StartFailed}, without a runtime stack trace.
 */
final class StartFailure extends Exception {

    StartFailure(String reason) {
        super(reason, null, false, false);
    }
}
