package io.servicescluster.core.manager;

import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.HealthSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.verify.EventLogChecker;
import io.servicescluster.verify.LogEnd;
import io.servicescluster.verify.LogEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * One run of the real {@link DecisionLoop} against simulated containers and remotes in virtual
 * time, everything drawn from one seed: a random DAG of 1–40 services with random timeouts,
 * restart policies, spawn permissions and health checks (R16); the faults of {@link SimSession} and {@link
 * SimContainer}; users' {@code stop NAME} and {@code restart NAME} at random moments; and the
 * manager's own shutdown at a random moment, in the middle of all of it. Same seed, same run. Its
 * event log is judged by {@link EventLogChecker}, the checker of {@code svc verify}.
 */
final class Simulation {

    /** Virtual time after which a run that has not terminated is a bug (no close may hang for ever). */
    static final Duration GIVE_UP = Duration.ofHours(1);

    /**
     * What a run left: its events in decision order, and the problems seen on the way (the
     * loop's failed inputs, containers destroyed under a running service, no termination).
     */
    record Result(long seed, int services, List<ServiceEvent> events, List<String> problems, Duration took) {
    }

    private final long seed;
    private final Random random;
    private final VirtualTime time = new VirtualTime();
    private final List<String> problems = new ArrayList<>();
    private final List<ServiceEvent> events = new ArrayList<>();
    private final List<SimContainer> containers = new ArrayList<>();
    /** The declared services' dependencies, as a cluster file would give them to svc verify. */
    private final Map<String, List<String>> graph = new LinkedHashMap<>();

    private Simulation(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    static Result run(long seed) {
        return new Simulation(seed).run();
    }

    private Result run() {
        List<ServiceNode> nodes = randomCluster(1 + random.nextInt(40));
        LoopPorts ports = new LoopPorts(time, time.now(),
                work -> time.after(Duration.ofMillis(1 + random.nextInt(200)), work), time.timers(),
                SimSession.opener(time, random, problems), new KeySource()::next,
                ListenerDispatch.inline(List.of(new ClusterListener() {
                    @Override
                    public void onEvent(ServiceEvent event) {
                        events.add(event);
                    }
                })),
                e -> problems.add("the loop failed on an input at " + time.elapsed() + ": " + e));
        // the warm pool's size from a generator of its own, so that the rest of a seed's run stays as it was
        int pool = new Random(seed * 31 + 7).nextInt(4);
        DecisionLoop loop = new DecisionLoop("sim", nodes, this::child, ports, pool);
        loop.start();
        for (int i = random.nextInt(6); i > 0; i--) {
            time.after(Duration.ofMillis(random.nextInt(20_000)), () -> command(loop));
        }
        time.after(Duration.ofMillis(random.nextInt(30_000)), loop::stop);
        while (time.step()) {
            if (time.elapsed().compareTo(GIVE_UP) > 0) {
                break;
            }
        }
        if (!loop.terminated.isDone()) {
            problems.add("the cluster did not terminate within " + GIVE_UP + " of virtual time: "
                    + loop.nodes().values());
        }
        if (containers.stream().anyMatch(SimContainer::anyAlive)) {
            problems.add("a remote outlived the cluster's end");
        }
        // the same judge as svc verify; the run ended at rest, so every R9 close is due by its end
        List<LogEvent> log = events.stream()
                .map(e -> LogEvent.of(e.seq(), e.service(), e.type().wireName(), e.details())).toList();
        EventLogChecker.check(log, Optional.of(graph), loop.terminated.isDone() ? LogEnd.SETTLED : LogEnd.OPEN)
                .forEach(violation -> problems.add(violation.toString()));
        return new Result(seed, nodes.size(), events, problems, time.elapsed());
    }

    /** {@code svc stop NAME} or {@code svc restart NAME} of any service there is now, children included. */
    private void command(DecisionLoop loop) {
        List<ServiceNode> now = List.copyOf(loop.nodes().values());
        ServiceNode target = now.get(random.nextInt(now.size()));
        if (random.nextBoolean()) {
            loop.stopService(target);
        } else {
            loop.restartService(target);
        }
    }

    /** Services {@code s0 … sN-1}, each depending on up to three earlier ones: a DAG in topological order. */
    private List<ServiceNode> randomCluster(int size) {
        List<ServiceNode> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<String> dependsOn = new ArrayList<>();
            for (int tries = random.nextInt(4); tries > 0 && i > 0; tries--) {
                String dependency = "s" + random.nextInt(i);
                if (!dependsOn.contains(dependency)) {
                    dependsOn.add(dependency);
                }
            }
            ServiceSpec.Builder spec = ServiceSpec.builder("s" + i).dependsOn(dependsOn.toArray(String[]::new))
                    .code(CodeSpec.ofClass("sim.Service")).restart(randomPolicy())
                    .startTimeout(Duration.ofMillis(500 + random.nextInt(4_500)))
                    .closeTimeout(Duration.ofMillis(500 + random.nextInt(4_500)))
                    .permissions(new Permissions(Optional.empty(), List.of(), true, random.nextDouble() < 0.2));
            if (random.nextDouble() < 0.3) {
                spec.health(new HealthSpec(Optional.empty(), Duration.ofMillis(100 + random.nextInt(1_900)),
                        Duration.ofMillis(100 + random.nextInt(900)), 1 + random.nextInt(3),
                        Duration.ofMillis(random.nextInt(3_000))));
            }
            ServiceSpec service = spec.build();
            graph.put(service.name(), List.copyOf(dependsOn));
            ServiceNode node = new ServiceNode(service, container(service.name()), Path.of("/sim", service.name()));
            for (String dependency : dependsOn) {
                ServiceNode target = nodes.get(Integer.parseInt(dependency.substring(1)));
                node.dependencies.add(target);
                target.dependents.add(node);
            }
            nodes.add(node);
        }
        return nodes;
    }

    private RestartPolicy randomPolicy() {
        return switch (random.nextInt(3)) {
            case 0 -> RestartPolicy.NEVER;
            case 1 -> new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, random.nextInt(4),
                    Duration.ofSeconds(1 + random.nextInt(60)), Duration.ofMillis(10 + random.nextInt(500)));
            default -> new RestartPolicy(RestartPolicy.Policy.ALWAYS, random.nextInt(4),
                    Duration.ofSeconds(1 + random.nextInt(60)), Duration.ofMillis(10 + random.nextInt(500)));
        };
    }

    private ServiceNode child(ServiceSpec spec, ServiceNode parent, int parentGeneration) {
        return new ServiceNode(spec, container(spec.name()), Path.of("/sim", spec.name()), parent, parentGeneration);
    }

    private SimContainer container(String service) {
        SimContainer container = new SimContainer(service, time, random, problems);
        containers.add(container);
        return container;
    }

    /** Capability keys: secret for real, numbered here (the loop only passes them on). */
    private static final class KeySource {
        private long next;

        String next() {
            return String.format("%032x", ++next);
        }
    }

    @Override
    public String toString() {
        return "simulation " + seed;
    }
}
