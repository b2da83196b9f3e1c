/**
 * The live web dashboard of a running cluster, attached as a {@code ManagerExtension}
 * ({@code Dashboard}): served on 127.0.0.1 with a per-run token, its page and the chart library
 * (a WebJar) from this jar. Its actions go through the control commands of the ops module.
 */
module io.servicescluster.dashboard {
    requires transitive io.servicescluster.core;
    requires transitive io.servicescluster.ops;
    requires com.fasterxml.jackson.databind;
    requires jdk.httpserver;
    requires org.slf4j;

    exports io.servicescluster.dashboard;
}
