package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.servicescluster.testing.ContainerUnderTest;
import java.nio.file.Path;

/** A Kubernetes to test on, tier 1 (the mock API server) or tier 2 (a real cluster): what the shared tests need of it. */
interface KubernetesUnderTest extends ContainerUnderTest {

    /** A client of its API server, for the tests' own looks. */
    KubernetesClient client();

    /** A kubeconfig file that reaches it, for a manager in a JVM of its own. */
    Path kubeconfig();

    /** The options of a service placed on it. */
    KubernetesOptions options();

    default String namespace() {
        return options().namespace().orElseThrow();
    }
}
