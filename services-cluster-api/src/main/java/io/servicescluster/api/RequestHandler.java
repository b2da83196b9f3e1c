package io.servicescluster.api;

/**
 * Answers one request. Runs on a thread of its own, so blocking is fine: the connection is read
 * on meanwhile ({@link ServiceContext} says which thread).
 */
@FunctionalInterface
public interface RequestHandler {

    /**
     * @param body the request body, never {@code null}
     * @return the reply body, never {@code null}
     * @throws Exception fails the caller's future with this exception's class and message
     */
    byte[] handle(byte[] body) throws Exception;
}
