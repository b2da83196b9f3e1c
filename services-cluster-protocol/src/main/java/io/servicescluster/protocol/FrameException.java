package io.servicescluster.protocol;

import java.io.IOException;

/** A frame or message that breaks the protocol: the connection that carried it must be closed. */
public class FrameException extends IOException {

    public FrameException(String message) {
        super(message);
    }

    public FrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
