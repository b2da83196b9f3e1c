package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.container.ServiceContainer;

/** Makes {@code process} containers: each service in a child JVM of the manager. */
public final class ProcessContainerFactory implements ContainerFactory {

    private final RemoteRuntime runtime;
    private final HostTools tools;

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
