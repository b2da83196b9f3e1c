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
        // fabric8 wraps the real trouble ("Connection refused") in "An error has occurred."
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root == e ? "" : root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return e.getMessage() + (why.isEmpty() || e.getMessage().contains(why) ? "" : " (" + why + ")");
    }
}
