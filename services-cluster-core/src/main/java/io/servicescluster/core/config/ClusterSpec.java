package io.servicescluster.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole cluster as declared: its name, the folder that relative paths start from, and its
 * services in declaration order. Immutable; made by {@code io.servicescluster.clusterfile.ClusterFileParser} or {@link #builder}.
 * Building does not validate names or the graph: {@code ServicesManager} and {@code svc check} do.
 *
 * @param name the cluster's name (R1)
 * @param baseDir the folder relative paths were resolved against
 * @param sourceFile the cluster file it was read from, if any
 * @param services the services, in declaration order
 * @param pool how many spare remotes the manager keeps ready for restarts, across the cluster
 *     ({@code defaults.pool}; 0, the default, keeps none): docs/architecture.md, "The warm pool"
 */
public record ClusterSpec(String name, Path baseDir, Optional<Path> sourceFile, List<ServiceSpec> services, int pool) {

    /** The most spares a cluster file may ask for: each is a JVM. */
    public static final int MAX_POOL = 64;

    public ClusterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(sourceFile, "sourceFile");
        services = List.copyOf(services);
        if (pool < 0 || pool > MAX_POOL) {
            throw new IllegalArgumentException("pool must be 0 to " + MAX_POOL + ", not " + pool);
        }
    }

    /** A cluster without a warm pool. */
    public ClusterSpec(String name, Path baseDir, Optional<Path> sourceFile, List<ServiceSpec> services) {
        this(name, baseDir, sourceFile, services, 0);
    }

    /** The service named {@code name}, if declared. */
    public Optional<ServiceSpec> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** A builder for a cluster declared in code; relative paths start from the working directory. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link ClusterSpec} in code. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private Path baseDir = Path.of("").toAbsolutePath();
        private final List<ServiceSpec> services = new ArrayList<>();
        private int pool;

        private Builder(String name) {
            this.name = name;
        }

        /** The folder that relative paths are resolved against. */
        public Builder baseDir(Path baseDir) {
            this.baseDir = baseDir.toAbsolutePath();
            return this;
        }

        public Builder service(ServiceSpec service) {
            services.add(service);
            return this;
        }

        public Builder service(ServiceSpec.Builder service) {
            return service(service.build());
        }

        /**
         * How many spare remotes to keep ready for restarts, across the cluster (0, the default,
         * keeps none): each is an idle JVM that a restart takes instead of starting one.
         */
        public Builder pool(int spares) {
            this.pool = spares;
            return this;
        }

        public ClusterSpec build() {
            return new ClusterSpec(name, baseDir, Optional.empty(), services, pool);
        }
    }
}
