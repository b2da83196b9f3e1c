package io.servicescluster.core.manager;

import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Hands output lines of the containers to the listeners; a failing listener is logged, not fatal. */
final class OutputRelay {

    private final List<ClusterListener> listeners;

    OutputRelay(List<ClusterListener> listeners) {
        this.listeners = listeners;
    }

    void line(String service, OutputStream stream, String line) {
        for (ClusterListener listener : listeners) {
            try {
                listener.onOutput(service, stream, line);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(OutputRelay.class).warn("a cluster listener failed on output of {}", service, e);
            }
        }
    }
}
