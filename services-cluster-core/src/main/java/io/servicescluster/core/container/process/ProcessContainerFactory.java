package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.container.ServiceContainer;

/** Makes {@code process} containers: each service in a child JVM of the manager. */
public final class ProcessContainerFactory implements ContainerFactory {

    private final RemoteRuntime runtime;

    /** A factory that starts remotes with {@code runtime}. */
    public ProcessContainerFactory(RemoteRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String kind() {
        return "process";
    }

    @Override
    public ServiceContainer newContainer(ServiceSpec service, ContainerEnvironment environment) {
        return new ProcessContainer(service, environment, runtime);
    }
}
