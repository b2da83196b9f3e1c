package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.ServiceContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §5: a service on another host has {@code host} on its {@code created} event — what its
 * container kind says ({@link ServiceContainer#host}); a service on this machine has none, and a
 * kind that fails to say costs its service nothing but the field.
 */
class HostOnCreatedTest {

    @TempDir
    Path state;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theCreatedEventSaysWhereTheKindPlacesTheService() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("placed")
                .service(ServiceSpec.builder("far").code(CodeSpec.ofClass("demo.Far")).container("elsewhere"))
                .service(ServiceSpec.builder("near").code(CodeSpec.ofClass("demo.Near")).container("here"))
                .service(ServiceSpec.builder("mute").code(CodeSpec.ofClass("demo.Mute")).container("mute"))
                .build();
        Path log = state.resolve("events.jsonl");
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).eventLog(log)
                .containerFactory(new Kind("elsewhere", () -> Optional.of("node-7")))
                .containerFactory(new Kind("here", Optional::empty))
                .containerFactory(new Kind("mute", () -> {
                    throw new IllegalStateException("no engine answers");
                })).build()) {
            manager.start();
            manager.whenStartupSettled().get(30, TimeUnit.SECONDS);
        }
        List<String> created = Files.readAllLines(log).stream().filter(line -> line.contains("\"created\"")).toList();
        assertThat(created).hasSize(3);
        assertThat(created).filteredOn(line -> line.contains("\"far\"")).singleElement().asString()
                .contains("\"host\":\"node-7\"");
        assertThat(created).filteredOn(line -> !line.contains("\"far\"")).allSatisfy(line ->
                assertThat(line).doesNotContain("\"host\""));
    }

    /** A kind whose containers are made at once, say {@code host} as told, and have no remote to launch. */
    private record Kind(String kind, HostAnswer host) implements ContainerFactory {
        @Override
        public ServiceContainer newContainer(ServiceSpec service, ContainerEnvironment environment) {
            return new ServiceContainer() {
                @Override
                public String kind() {
                    return kind;
                }

                @Override
                public void create() {
                }

                @Override
                public Optional<String> host() {
                    return host.get();
                }

                @Override
                public RemoteProcess launch(Duration timeout) throws ContainerException {
                    throw new ContainerException("no remote in this test");
                }

                @Override
                public void destroy() {
                }
            };
        }
    }

    @FunctionalInterface
    private interface HostAnswer {
        Optional<String> get();
    }
}
