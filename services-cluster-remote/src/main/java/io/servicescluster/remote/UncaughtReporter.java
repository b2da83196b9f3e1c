package io.servicescluster.remote;

import io.servicescluster.protocol.ControlMessage.UncaughtException;

/**
 * The default uncaught exception handler: reports each exception that no code caught as an
 * {@link UncaughtException} message instead of printing it. Runs on the dying thread; never blocks
 * longer than {@link Outbox#offer} waits.
 */
final class UncaughtReporter implements Thread.UncaughtExceptionHandler {

    private final Outbox outbox;

    UncaughtReporter(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void uncaughtException(Thread thread, Throwable failure) {
        String message = failure.getMessage();
        outbox.offer(new UncaughtException(thread.getName(), failure.getClass().getName(),
                message == null ? "" : message, Failures.stackTrace(failure)), true);
    }
}
