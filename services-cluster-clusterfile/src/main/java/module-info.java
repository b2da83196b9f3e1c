/**
 * The cluster file (SPEC §4): reads YAML into the core's {@code ClusterSpec}, every problem with
 * its file, line and dotted key. API: {@code ClusterFileParser} and {@code ClusterFileException};
 * the YAML reading, the per-key readers and the checks of the code behind them are package-private.
 * The container kinds found on the class path ({@code uses} below) read their own keys through the
 * core's {@code ConfigValue}, so a new kind changes nothing here.
 */
module io.servicescluster.clusterfile {
    requires transitive io.servicescluster.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;

    exports io.servicescluster.clusterfile;

    uses io.servicescluster.core.config.ContainerKind;
    uses io.servicescluster.core.config.ArtifactResolver; // maven: coordinates (services-cluster-maven)
}
