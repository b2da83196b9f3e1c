package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ContainerOptions;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code process} key of a service or of {@code defaults} (docs/multi-host.md): how a
 * {@code container: process} service's remote talks to the manager and to its peers, read by
 * {@link ProcessKind}. Other kinds ignore it.
 *
 * @param transport {@link Transport#PIPES} (the default) or {@link Transport#TLS}
 */
public record ProcessOptions(Transport transport) implements ContainerOptions {

    /** The service key of these options. */
    public static final String KEY = "process";

    /** Nothing chosen: pipes and Unix sockets. */
    public static final ProcessOptions DEFAULT = new ProcessOptions(Transport.PIPES);

    /** The transport of the control channel and the data plane. */
    public enum Transport {
        /** The control channel over the JVM's own pipes, the data plane over Unix sockets in the run folder. */
        PIPES,
        /**
         * Both over TCP on 127.0.0.1 with mutual TLS and the cluster's certificates (R17): what
         * services on other hosts use, here on one host (to run it, or to test it).
         */
        TLS;

        /** As written in the cluster file. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ProcessOptions {
        Objects.requireNonNull(transport, "transport");
    }

    @Override
    public String key() {
        return KEY;
    }
}
