/**
 * The {@code swarm} container kind and its {@code swarm:} options (docs/multi-host.md). Exports
 * nothing: the core finds it with {@link java.util.ServiceLoader}. docker-java's jars are
 * automatic modules, which javac warns about; nothing better exists for them.
 */
@SuppressWarnings("requires-automatic")
module io.servicescluster.swarm {
    requires io.servicescluster.core;
    requires io.servicescluster.container.support;
    requires io.servicescluster.protocol;
    requires com.github.dockerjava.api;
    requires com.github.dockerjava.core;
    requires com.github.dockerjava.transport;
    requires com.github.dockerjava.transport.zerodep;
    requires org.slf4j;
    requires org.bouncycastle.provider;
    requires com.fasterxml.jackson.annotation; // CappedContainerSpec: a field docker-java lacks

    // docker-java writes a ContainerSpec with its Jackson, which reads CappedContainerSpec's field
    opens io.servicescluster.core.container.swarm to com.fasterxml.jackson.databind;

    provides io.servicescluster.core.config.ContainerKind
            with io.servicescluster.core.container.swarm.SwarmKind;
    provides io.servicescluster.core.container.ContainerFactory
            with io.servicescluster.core.container.swarm.SwarmContainerFactory;
}
