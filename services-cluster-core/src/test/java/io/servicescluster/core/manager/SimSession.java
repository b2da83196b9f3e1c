package io.servicescluster.core.manager;

import io.servicescluster.core.config.HealthSpec;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.Spawn;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One simulated start: the remote's answers, drawn from the seed, in virtual time. Every fault
 * of the real world has a share: a start that fails, crashes, hangs past its timeout or answers
 * too late; a run that crashes, exits by itself, stops answering heartbeats or loses its
 * connection, reports exceptions and spawns children (some refused: bad names, names taken,
 * spawned while starting); a close that is clean, fails, hangs, is slow past its timeout,
 * crashes or exits without a word. Nothing arrives once the session is stopped or the remote has
 * ended, as with a real channel.
 */
final class SimSession implements ControlSession {

    private final DecisionLoop loop;
    private final ServiceNode node;
    private final int generation;
    private final SimRemote remote;
    private final VirtualTime time;
    private final Random random;
    private boolean stopped;
    /** Once the close is asked: no more health checks, as with the real sessions. */
    private boolean closing;
    private long spawns;

    private SimSession(DecisionLoop loop, ServiceNode node, int generation, SimRemote remote, VirtualTime time,
            Random random) {
        this.loop = loop;
        this.node = node;
        this.generation = generation;
        this.remote = remote;
        this.time = time;
        this.random = random;
    }

    /**
     * Prepares simulated sessions on simulated remotes. A remote launched ahead of its start (or a
     * spare of the pool) may die while it waits (by the seed), which the loop must replace without
     * a word. R10 is watched here: a remote that serves a second start, or one given up (stopped)
     * that serves a start, is a bug; so is code sent ahead with another key than its start's, and a
     * waiting remote given up whose connection closes before it is killed.
     */
    static ControlSession.Opener opener(VirtualTime time, Random random, List<String> problems) {
        Set<RemoteProcess> served = new HashSet<>();
        return (DecisionLoop loop, ServiceNode node, RemoteProcess remote, Runnable lostBeforeStart) -> {
            SimRemote sim = (SimRemote) remote;
            boolean[] started = new boolean[1];
            boolean[] stopped = new boolean[1];
            String[] keyAhead = new String[1];
            if (random.nextDouble() < 0.05) {
                time.after(Duration.ofMillis(random.nextInt(2_000)), () -> {
                    if (!started[0] && sim.alive()) {
                        sim.exitLater(137);
                    }
                });
            }
            return new ControlSession.Waiting() {
                @Override
                public void sendCodeAhead(String capabilityKey, List<Path> classpath) {
                    keyAhead[0] = capabilityKey;
                }

                @Override
                public ControlSession start(int generation, List<Path> classpath) {
                    if (!served.add(remote) || stopped[0]) {
                        problems.add("at " + time.elapsed() + " a remote of '" + node.name() + "' served a second start,"
                                + " or one after it was given up (R10)");
                    }
                    if (keyAhead[0] != null && !keyAhead[0].equals(node.capabilityKey)) {
                        problems.add("at " + time.elapsed() + " the code sent ahead to '" + node.name()
                                + "' carries another capability key than its start's");
                    }
                    started[0] = true;
                    SimSession session = new SimSession(loop, node, generation, sim, time, random);
                    session.start();
                    return session;
                }

                @Override
                public void stop() {
                    if (!started[0] && sim.alive() && !sim.killed()) {
                        problems.add("at " + time.elapsed() + " a waiting remote of '" + node.name() + "' lost its"
                                + " connection before it was killed: it would say it lost its controller");
                    }
                    stopped[0] = true;
                    started[0] = true; // nothing more of it
                }
            };
        };
    }

    private void start() {
        long timeout = node.spec.startTimeout().toMillis();
        double dice = random.nextDouble();
        if (random.nextDouble() < 0.1) {
            later(random.nextInt(50), () -> loop.spawnRequested(node, generation, spawnRequest())); // refused: starting
        }
        if (dice < 0.72) {
            later(1 + random.nextInt(300), () -> {
                loop.started(node, generation, node.spec.health());
                node.spec.health().ifPresent(this::checkHealth);
                run();
            });
        } else if (dice < 0.80) {
            later(1 + random.nextInt(300), () -> loop.startFailed(node, generation, "simulated: start threw"));
        } else if (dice < 0.86) {
            later(1 + random.nextInt(300), () -> remote.exitLater(1));
        } else if (dice < 0.90) {
            // hangs: the start timeout decides
        } else if (dice < 0.94) {
            later(timeout + random.nextInt(1000), () -> loop.started(node, generation, node.spec.health())); // too late
        } else {
            later(1 + random.nextInt(300), this::loseConnection);
        }
    }

    /** The service runs: what may happen to it before anyone asks it to close. */
    private void run() {
        if (random.nextDouble() < 0.25) {
            later(random.nextInt(20_000), () -> remote.exitLater(random.nextBoolean() ? 1 : 137));
        }
        if (random.nextDouble() < 0.05) {
            later(random.nextInt(20_000), () -> remote.exitLater(0));
        }
        if (random.nextDouble() < 0.05) {
            later(random.nextInt(20_000), () -> loop.connectionLost(node, generation,
                    "unresponsive: no heartbeat answered for 10s", true));
        }
        if (random.nextDouble() < 0.05) {
            later(random.nextInt(20_000), this::loseConnection);
        }
        if (random.nextDouble() < 0.1) {
            later(random.nextInt(10_000), () -> loop.reported(node, Type.EXCEPTION,
                    Map.of("exception", "java.lang.IllegalStateException", "message", "simulated", "thread", "main")));
        }
        if (node.spec.permissions().spawn()) {
            for (int i = random.nextInt(4); i > 0; i--) {
                later(random.nextInt(5_000), () -> loop.spawnRequested(node, generation, spawnRequest()));
            }
        }
    }

    /**
     * R16: health results every interval until the close is asked, from a service that is
     * healthy, flaky, never healthy, or whose checks hang (then each fails at its timeout).
     */
    private void checkHealth(HealthSpec health) {
        double kind = random.nextDouble();
        double failing = kind < 0.6 ? 0.02 : kind < 0.85 ? 0.4 : kind < 0.95 ? 1.0 : -1;
        healthCheck(health, failing);
    }

    private void healthCheck(HealthSpec health, double failing) {
        boolean hangs = failing < 0;
        long took = hangs ? health.timeout().toMillis() + 500 : random.nextInt((int) health.timeout().toMillis() + 1);
        later(took, () -> {
            if (closing) {
                return;
            }
            boolean healthy = !hangs && random.nextDouble() >= failing;
            loop.healthResult(node, generation, healthy, healthy ? "" : hangs ? "no answer within 1s" : "simulated: 503");
            later(health.interval().toMillis(), () -> healthCheck(health, failing));
        });
    }

    private void loseConnection() {
        loop.connectionLost(node, generation, "connection lost", false);
        remote.exitLater(1);
    }

    /** A child's name: usually new, sometimes taken (R2) or invalid (R1). */
    private Spawn spawnRequest() {
        double dice = random.nextDouble();
        String name = dice < 0.1 ? node.name()
                : dice < 0.15 ? "Bad_Name"
                : node.name() + "-w" + random.nextInt(3);
        return new Spawn(++spawns, name, CodeKind.CLASS, "sim.Child", Map.of());
    }

    @Override
    public void requestClose() {
        closing = true;
        long timeout = node.spec.closeTimeout().toMillis();
        double dice = random.nextDouble();
        if (dice < 0.72) {
            later(1 + random.nextInt(500), () -> closed(""));
        } else if (dice < 0.77) {
            later(1 + random.nextInt(500), () -> closed("simulated: close threw"));
        } else if (dice < 0.84) {
            // hangs: the close timeout kills it (R13)
        } else if (dice < 0.90) {
            later(random.nextInt((int) (2 * timeout) + 1), () -> closed("")); // slow, maybe past the timeout
        } else if (dice < 0.95) {
            later(1 + random.nextInt(500), () -> remote.exitLater(1));
        } else {
            later(1 + random.nextInt(500), () -> remote.exitLater(0));
        }
    }

    private void closed(String error) {
        remote.saidClosed = true;
        loop.closed(node, generation, error);
        remote.exitLater(0);
    }

    @Override
    public void spawnResult(SpawnResult result) {
        // the simulated service takes its answer; the loop's side is what is checked
    }

    @Override
    public void stop() {
        stopped = true;
    }

    /** Sends {@code message} from the remote {@code millis} from now, if it can still talk then. */
    private void later(long millis, Runnable message) {
        time.after(Duration.ofMillis(millis), () -> {
            if (!stopped && remote.alive()) {
                message.run();
            }
        });
    }
}
