package io.servicescluster.core.manager;

import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.ServiceContainer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The simulated container kind: making it or launching in it may fail (by the seed); each launch
 * is a {@link SimRemote}. It also watches the loop: destroying a container while a remote in it
 * still runs a service — one the loop neither killed nor saw close — is a bug (no service
 * outlives its close), recorded in {@code problems}.
 */
final class SimContainer implements ServiceContainer {

    static final double CREATE_FAILS = 0.01;
    static final double LAUNCH_FAILS = 0.03;

    private final String service;
    private final VirtualTime time;
    private final Random random;
    private final List<String> problems;
    private final List<SimRemote> remotes = new ArrayList<>();
    private boolean destroyed;

    SimContainer(String service, VirtualTime time, Random random, List<String> problems) {
        this.service = service;
        this.time = time;
        this.random = random;
        this.problems = problems;
    }

    @Override
    public String kind() {
        return "sim";
    }

    @Override
    public void create() throws ContainerException {
        if (random.nextDouble() < CREATE_FAILS) {
            throw new ContainerException("simulated: no room for '" + service + "'");
        }
    }

    @Override
    public RemoteProcess launch(Duration timeout) throws ContainerException {
        if (destroyed) {
            throw new ContainerException("container of '" + service + "' is destroyed");
        }
        if (random.nextDouble() < LAUNCH_FAILS) {
            throw new ContainerException("simulated: the remote of '" + service + "' did not say hello");
        }
        SimRemote remote = new SimRemote(time, random, service, 1000L + remotes.size());
        remotes.add(remote);
        return remote;
    }

    /** Spares like any launch: a simulated launch disturbs no other remote. */
    @Override
    public boolean launchesSpares() {
        return true;
    }

    @Override
    public RemoteProcess launchSpare(Duration timeout) throws ContainerException {
        return launch(timeout);
    }

    @Override
    public void takeSpare(RemoteProcess spare) throws ContainerException {
        if (!remotes.contains(spare) || !((SimRemote) spare).alive()) {
            throw new ContainerException("simulated: the spare of '" + service + "' is gone");
        }
        for (SimRemote other : remotes) { // as a real container: the earlier remotes end
            if (other != spare) {
                other.kill();
            }
        }
    }

    @Override
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        for (SimRemote remote : remotes) {
            if (remote.alive() && !remote.killed() && !remote.saidClosed) {
                problems.add("at " + time.elapsed() + " the container of '" + service
                        + "' was destroyed while a remote in it still ran the service");
            }
            remote.kill();
        }
    }

    @Override
    public void kill() {
        remotes.forEach(SimRemote::kill);
    }

    /** Whether some remote launched here has not ended. */
    boolean anyAlive() {
        return remotes.stream().anyMatch(SimRemote::alive);
    }
}
