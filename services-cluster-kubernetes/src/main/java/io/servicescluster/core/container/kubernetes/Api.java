package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** What the API server said, in one line, for messages. */
final class Api {

    private Api() {
    }

    /**
     * {@code Forbidden (403): pods is forbidden: User "x" cannot create …}: the API's own reason and
     * message where it sent a status, else the client's message (a connection refused, a bad kubeconfig).
     */
    static String describe(KubernetesClientException e) {
        Status status = e.getStatus();
        if (status != null && status.getMessage() != null) {
            String reason = status.getReason() == null ? "" : status.getReason() + " ";
            return reason + "(" + e.getCode() + "): " + status.getMessage();
        }
        Throwable cause = e.getCause();
        return e.getMessage() + (cause != null && cause.getMessage() != null
                && !e.getMessage().contains(cause.getMessage()) ? " (" + cause.getMessage() + ")" : "");
    }
}
