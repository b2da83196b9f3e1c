package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ConfigValue;
import io.servicescluster.core.config.ContainerKind;
import io.servicescluster.core.config.ContainerOptions;
import io.servicescluster.core.config.ServiceSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code process} kind as the cluster file knows it: the default, with its {@code process:} key. */
public final class ProcessKind implements ContainerKind {

    private static final List<String> KEYS = List.of("transport");

    @Override
    public String name() {
        return ServiceSpec.DEFAULT_CONTAINER;
    }

    @Override
    public Optional<String> optionsKey() {
        return Optional.of(ProcessOptions.KEY);
    }

    /** {@code process: { transport: pipes | tls }}, optional. */
    @Override
    public Optional<ContainerOptions> readOptions(ConfigValue value) {
        return value.map(KEYS).flatMap(keys -> {
            ConfigValue transport = keys.get("transport");
            if (transport == null) {
                return Optional.of(ProcessOptions.DEFAULT);
            }
            List<String> words = Arrays.stream(ProcessOptions.Transport.values())
                    .map(ProcessOptions.Transport::word).toList();
            return transport.check(transport.string(), words::contains, "one of " + String.join(", ", words)
                    + " (pipes: the JVM's own pipes and Unix sockets, the default; tls: mutual TLS over 127.0.0.1)")
                    .map(word -> new ProcessOptions(ProcessOptions.Transport.valueOf(word.toUpperCase(
                            java.util.Locale.ROOT))));
        });
    }
}
