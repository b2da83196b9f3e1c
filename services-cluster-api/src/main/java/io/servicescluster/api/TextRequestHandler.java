package io.servicescluster.api;

/** Answers one request whose body and reply are UTF-8 text; see {@link ServiceContext#onRequestText}. */
@FunctionalInterface
public interface TextRequestHandler {

    /**
     * @param body the request body decoded as UTF-8, never {@code null}
     * @return the reply, sent as UTF-8
     * @throws Exception fails the caller's future with this exception's class and message
     */
    String handle(String body) throws Exception;
}
