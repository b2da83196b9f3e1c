/**
 * The manager core: the cluster's description, the dependency graph, the decision loop and the
 * container SPI. No container kind of its own, no OS calls of its own: the kinds are found with
 * {@link java.util.ServiceLoader} ({@code uses} below) and know the core, never the reverse.
 * <ul>
 *   <li>{@code core.manager} — API: {@code ServicesManager} and its builder, states, events,
 *       listeners; SPI for what sits above the manager: {@code ManagerExtension} (operations).
 *       The loop, nodes and transitions in it are package-private.</li>
 *   <li>{@code core.config} — API: the cluster's description (the spec records
 *       {@code ClusterSpec}, {@code ServiceSpec}…, {@code Problem}, {@code Sizes}), whether from
 *       the cluster file (module {@code io.servicescluster.clusterfile}) or built in Java; SPI: a
 *       kind's name and options ({@code ContainerKind}, {@code ContainerOptions}, and
 *       {@code ConfigValue}, through which a kind reads its keys of the file).</li>
 *   <li>{@code core.container} — SPI: what a container kind implements ({@code ContainerFactory},
 *       {@code ServiceContainer}, {@code RemoteProcess}) and is given.</li>
 *   <li>{@code core.graph} — internal: the dependency graph is the manager's own; the cluster
 *       file's reader uses it too, to name a cycle with its lines.</li>
 *   <li>{@code core.compile} — API: the manager's compiler of source services and its cache of
 *       classes ({@code SourceCompilations}), which {@code svc check} uses too; SPI: {@code
 *       CompilerSandbox}, which confines the compiler of a source sent by a service.</li>
 *   <li>{@code core.control} — internal, the controller of one remote; exported only to the
 *       modules that show a remote's words ({@code UntrustedText}: operations and the CLI).</li>
 * </ul>
 */
module io.servicescluster.core {
    requires transitive io.servicescluster.api;
    requires transitive io.servicescluster.protocol; // the container SPI speaks ControlChannel
    requires com.fasterxml.jackson.core; // the event log's writer
    requires org.slf4j;
    requires java.compiler; // source services are compiled by the manager (core.compile)

    exports io.servicescluster.core.manager;
    exports io.servicescluster.core.config;
    exports io.servicescluster.core.container;
    exports io.servicescluster.core.compile;
    exports io.servicescluster.core.control to io.servicescluster.ops, io.servicescluster.dashboard, io.servicescluster.cli;
    exports io.servicescluster.core.graph to io.servicescluster.clusterfile; // cycles and their lines

    uses io.servicescluster.core.container.ContainerFactory;
    uses io.servicescluster.core.compile.CompilerSandbox; // the process kind's, around a child's compiler
}
