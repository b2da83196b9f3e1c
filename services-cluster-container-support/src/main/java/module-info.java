/**
 * What every container kind that launches the remote runtime shares, so that no kind imports
 * another: the runtime's launch command, its class-data folder, the socket hello, the JVM sizing
 * and exit grace every kind applies. SPI-side helpers for the kinds' modules, not API for users.
 * Exported to all rather than to the kinds by name, so that a new kind's module (swarm,
 * kubernetes) changes no descriptor but its own. The remote runtime is launched from here, never
 * imported (it exports nothing); it is required so that, on the module path, it is resolved and
 * {@code RemoteRuntime} finds its jar.
 */
module io.servicescluster.container.support {
    requires transitive io.servicescluster.core;
    requires org.slf4j;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires io.servicescluster.remote;

    exports io.servicescluster.core.container.support;
}
