package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.container.support.RemoteRuntime;

/**
 * Makes {@code process} containers: each service in a child JVM of the manager. The default kind:
 * found with {@link java.util.ServiceLoader} when this module is on the class path.
 */
public final class ProcessContainerFactory implements ContainerFactory {

    private final RemoteRuntime runtime;
    private final HostTools tools;

    /**
     * The factory {@link java.util.ServiceLoader} makes: the remote runtime of this manager's class
     * path and JDK ({@link RemoteRuntime#detect()}), restrictions enforced with this host's tools.
     */
    public ProcessContainerFactory() {
        this(RemoteRuntime.detect());
    }

    /** A factory that starts remotes with {@code runtime}, enforcing restrictions with this host's tools. */
    public ProcessContainerFactory(RemoteRuntime runtime) {
        this(runtime, HostTools.detect());
    }

    /** A factory that starts remotes with {@code runtime}, enforcing restrictions with {@code tools} (R15). */
    public ProcessContainerFactory(RemoteRuntime runtime, HostTools tools) {
        this.runtime = runtime;
        this.tools = tools;
    }

    @Override
    public String kind() {
        return ServiceSpec.DEFAULT_CONTAINER;
    }

    @Override
    public ServiceContainer newContainer(ServiceSpec service, ContainerEnvironment environment) {
        return new ProcessContainer(service, environment, runtime, tools);
    }
}
