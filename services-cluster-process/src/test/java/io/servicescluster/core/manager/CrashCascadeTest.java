package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.container.process.ProcessContainerFactory;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 4: R9's cascade after a crash, with real processes. Each of its steps waits for
 * the one before (R9: c is closed before a begins closing), so nothing else may start beside it:
 * no remote is launched ahead for a service that closed in the cascade while the next close is
 * due — its dependency is about to close, so no start would take that remote.
 */
class CrashCascadeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @Test
    void aCrashClosesItsDependentsDeepestFirstAndLaunchesNothingMeanwhile() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("cascade")
                .service(idle("b"))
                .service(idle("a").dependsOn("b"))
                .service(idle("c").dependsOn("a"))
                .build();
        CountingFactory launches = new CountingFactory(new ProcessContainerFactory());
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events)
                .containerFactory(launches).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            Map<String, Integer> before = launches.counts();

            ProcessHandle.of(manager.status("b").pid().orElseThrow()).orElseThrow().destroyForcibly();
            events.await("a", Type.CLOSED, WAIT);
            events.await("c", Type.CLOSED, WAIT);
            // b never restarts (the default policy): a and c stay down, nothing waits to start
            manager.whenStartupSettled().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

            // R9: c closed before a began closing, both after b's crash
            assertThat(events.first("c", Type.CLOSED).orElseThrow().seq())
                    .isLessThan(events.first("a", Type.CLOSING).orElseThrow().seq());
            assertThat(events.first("c", Type.CLOSING).orElseThrow().seq())
                    .isGreaterThan(events.first("b", Type.CRASHED).orElseThrow().seq());
            assertThat(events.first("c", Type.CLOSING).orElseThrow().detail("reason"))
                    .isEqualTo("dependency b crashed");
            // and no JVM was launched for c when it closed (a's close was due at that very moment)
            manager.close();
            assertThat(launches.counts()).isEqualTo(before);
        }
    }

    /** The process kind, counting each service's launches. */
    private record CountingFactory(ContainerFactory real, Map<String, AtomicInteger> launched)
            implements ContainerFactory {

        CountingFactory(ContainerFactory real) {
            this(real, new ConcurrentHashMap<>());
        }

        Map<String, Integer> counts() {
            return launched.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                    Map.Entry::getKey, e -> e.getValue().get()));
        }

        @Override
        public String kind() {
            return real.kind();
        }

        @Override
        public ServiceContainer newContainer(ServiceSpec service, ContainerEnvironment environment) {
            ServiceContainer container = real.newContainer(service, environment);
            AtomicInteger count = launched.computeIfAbsent(service.name(), name -> new AtomicInteger());
            return new ServiceContainer() {
                @Override
                public String kind() {
                    return container.kind();
                }

                @Override
                public boolean confinesWrites() {
                    return container.confinesWrites();
                }

                @Override
                public void create() throws ContainerException {
                    container.create();
                }

                @Override
                public RemoteProcess launch(Duration timeout) throws ContainerException {
                    count.incrementAndGet();
                    return container.launch(timeout);
                }

                @Override
                public void destroy() {
                    container.destroy();
                }

                @Override
                public void kill() {
                    container.kill();
                }
            };
        }
    }
}
