package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ContainerKind;
import io.servicescluster.core.config.ServiceSpec;

/** The {@code process} kind as the cluster file knows it: the default, with no options of its own. */
public final class ProcessKind implements ContainerKind {

    @Override
    public String name() {
        return ServiceSpec.DEFAULT_CONTAINER;
    }
}
