package io.servicescluster.protocol;

import java.io.IOException;

/**
 * A {@link ConnectionPort} that carries {@link ControlMessage}s. Same threading as the port:
 * concurrent senders, one reader.
 */
public final class ControlChannel implements AutoCloseable {

    private final ConnectionPort port;

    public ControlChannel(ConnectionPort port) {
        this.port = port;
    }

    /** Sends one message; see {@link ConnectionPort#send}. */
    public void send(ControlMessage message) throws IOException {
        port.send(ControlCodec.encode(message));
    }

    /** Receives one message; see {@link ConnectionPort#receive} and {@link ControlCodec#decode}. */
    public ControlMessage receive() throws IOException {
        return ControlCodec.decode(port.receive());
    }

    /** The port underneath. */
    public ConnectionPort port() {
        return port;
    }

    public boolean isOpen() {
        return port.isOpen();
    }

    @Override
    public void close() {
        port.close();
    }

    @Override
    public String toString() {
        return "ControlChannel[" + port.describe() + "]";
    }
}
