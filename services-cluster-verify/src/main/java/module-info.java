/**
 * The event-log invariant checker ({@code svc verify}): API is {@code EventLogChecker}, the
 * {@code Violation}s it returns and {@code UnreadableLogException}; the rules and the reader are
 * package-private. On purpose independent of the manager (no {@code requires} of the core): a
 * log is judged by what it says.
 */
module io.servicescluster.verify {
    requires com.fasterxml.jackson.databind;

    exports io.servicescluster.verify;
}
