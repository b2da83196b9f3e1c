package io.servicescluster.core.container;

/** A container could not be created, or a remote could not be launched in it. The message is for users. */
public class ContainerException extends Exception {

    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
