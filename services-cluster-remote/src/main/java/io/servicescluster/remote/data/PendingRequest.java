package io.servicescluster.remote.data;

import java.util.concurrent.CompletableFuture;

/** A request waiting for its reply: the future that its caller holds, plus what a timeout needs. */
final class PendingRequest extends CompletableFuture<byte[]> {

    final long id;
    final String method;
    final long deadline;       // DataTimer.now() units
    final long timeoutNanos;

    PendingRequest(long id, String method, long deadline, long timeoutNanos) {
        this.id = id;
        this.method = method;
        this.deadline = deadline;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
