/**
 * The runtime inside a container: one service per process. Exports nothing: the manager and the
 * container kinds launch it by name ({@code io.servicescluster.remote.RemoteMain}, on the class
 * path, where this descriptor is ignored) and talk to it over the protocol only. Its lifecycle is
 * {@code io.servicescluster.remote}; its data plane {@code io.servicescluster.remote.data}, reached
 * through {@code DataPlane} and {@code DataEndpoint} alone.
 */
module io.servicescluster.remote {
    requires io.servicescluster.api;
    requires io.servicescluster.protocol;
}
