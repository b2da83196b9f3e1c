/**
 * {@code svc}, the command line: exports nothing. Its commands are opened to picocli, which reads
 * their annotated fields by reflection. The container kinds (process, docker) and Logback are not
 * required: the CLI names none of their types; they are on its run-time path and found there by
 * {@link java.util.ServiceLoader}.
 */
module io.servicescluster.cli {
    requires io.servicescluster.core;
    requires io.servicescluster.clusterfile;
    requires io.servicescluster.ops;
    requires io.servicescluster.dashboard;
    requires io.servicescluster.verify;
    requires info.picocli;
    requires jdk.unsupported; // sun.misc.Signal: Ctrl-C handling
    requires java.management; // svc run --detach starts the manager with this JVM's options

    opens io.servicescluster.cli to info.picocli;

    uses io.servicescluster.core.container.ContainerFactory; // svc clean asks every kind on the class path
}
