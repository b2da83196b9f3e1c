package io.servicescluster.core.manager;

import java.time.Instant;

/**
 * An exception that no code of a service caught.
 *
 * @param at when the manager received it
 * @param thread the name of the thread it ended
 * @param className the exception's class
 * @param message its message, possibly empty
 * @param stackTrace the full stack trace, causes included
 */
public record ExceptionReport(Instant at, String thread, String className, String message, String stackTrace) {
}
