/**
 * Operations above the manager, attached as a {@code ManagerExtension}: the control socket and its
 * client, log files, metrics. API for the CLI and embedders: {@code Operations} (the extension),
 * {@code ControlClient} and what it returns, {@code ManagerInfo}/{@code ManagerRegistry},
 * {@code ServiceLogs}, {@code LogSettings}, {@code ClusterMetrics}; the server, writers and the
 * JSON of the status behind them are package-private. Jackson and Micrometer are transitive: the
 * client answers with JSON trees, and {@code ClusterMetrics.registry()} hands out the registry.
 * Micrometer's jars are automatic modules (their {@code Automatic-Module-Name}), which javac
 * warns about; nothing better exists for them.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.servicescluster.ops {
    requires transitive io.servicescluster.core;
    requires transitive com.fasterxml.jackson.databind;
    requires transitive micrometer.core;
    requires micrometer.registry.prometheus;
    requires jdk.httpserver; // the metrics endpoint
    requires jdk.net; // SO_PEERCRED: who calls the control socket
    requires org.slf4j;

    exports io.servicescluster.core.ops;
}
