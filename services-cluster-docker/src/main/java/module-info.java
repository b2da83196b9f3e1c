/**
 * The {@code docker} container kind and its {@code docker:} options. Exports nothing: the core
 * finds it with {@link java.util.ServiceLoader} ({@code provides} below; on the class path, where
 * everything runs, through the same names in {@code META-INF/services}). docker-java's jars are
 * automatic modules (their {@code Automatic-Module-Name}), which javac warns about; nothing better
 * exists for them.
 */
@SuppressWarnings("requires-automatic")
module io.servicescluster.docker {
    requires io.servicescluster.core;
    requires io.servicescluster.container.support;
    requires com.github.dockerjava.api;
    requires com.github.dockerjava.core;
    requires com.github.dockerjava.transport;
    requires com.github.dockerjava.transport.zerodep;
    requires org.slf4j;

    provides io.servicescluster.core.config.ContainerKind
            with io.servicescluster.core.container.docker.DockerKind;
    provides io.servicescluster.core.container.ContainerFactory
            with io.servicescluster.core.container.docker.DockerContainerFactory;
}
