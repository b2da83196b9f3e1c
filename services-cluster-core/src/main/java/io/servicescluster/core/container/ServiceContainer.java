package io.servicescluster.core.container;

import java.time.Duration;
import java.util.Optional;

/**
 * The environment one service runs in (a child process, a Docker container, …): the SPI that
 * container kinds implement. It knows nothing of the dependency graph; the manager calls it off
 * its decision loop, so every method may block.
 *
 * <p>Life: {@link #create} once, then {@link #launch} once per start of the service (R10: each
 * start gets a fresh remote; a kind that {@link #launchesSpares} may instead give a start a spare
 * launched beforehand), then {@link #destroy} once. A launch may come before the service may
 * start: while it waits for its dependencies (a remote launched ahead, issue 14). Not called
 * concurrently for one container, except {@link #destroy}, which may race a {@link #launch} in
 * progress and must make it fail, and except a launch ahead that the manager gave up while it was
 * under way, which a later {@link #launch} may meet: a kind runs its launches one at a time (the
 * kinds here hold a lock), each later one ending the remotes of the earlier.
 */
public interface ServiceContainer {

    /** The container kind, as written in the cluster file ({@code process}, {@code docker}, …). */
    String kind();

    /**
     * Whether this container lets the service write only its work directory, its {@link
     * ScratchFolder} and its {@code files.write} paths, everything else being read-only. Then a
     * "Read-only file system" failure of the service is this container's doing, and the manager
     * explains it to the user (which path, not in which service's {@code files.write}).
     */
    default boolean confinesWrites() {
        return false;
    }

    /**
     * Creates the environment: work directory, control socket, and whatever the kind needs.
     *
     * @throws ContainerException if the environment cannot be made
     */
    void create() throws ContainerException;

    /**
     * For a container on another host (SPEC §5): where it places the service, written as
     * {@code host} on the service's {@code created} event — the node it is pinned to, else the
     * engine that chooses the node (its API's address). Asked once, after {@link #create}
     * returned. Empty, the default, for a container on this machine.
     */
    default Optional<String> host() {
        return Optional.empty();
    }

    /**
     * Starts a fresh remote runtime in this environment and waits for its hello ("remoteReady").
     * Enforces the service's permissions and limits, or refuses (R15).
     *
     * @param timeout how long to wait for the remote's hello
     * @return the connected remote, ready to receive code
     * @throws ContainerException if a permission cannot be enforced, the remote could not be
     *     started, or it did not say hello in time; the message says which
     */
    RemoteProcess launch(Duration timeout) throws ContainerException;

    /**
     * Whether this kind keeps spare remotes for the warm pool (issue 14, {@code defaults.pool}):
     * {@link #launchSpare} and {@link #takeSpare} work. Kinds that do not are left out of the pool.
     */
    default boolean launchesSpares() {
        return false;
    }

    /**
     * Starts a spare remote: one like {@link #launch}'s, but while the current start's remote may
     * still run here, which it must not disturb (its scratch folder, its processes, its share of
     * the limits: a spare has limits of its own). A spare serves at most one start, after {@link
     * #takeSpare}; until then it runs no code of the service. Called only when {@link
     * #launchesSpares}, never concurrently with {@link #launch} or another spare's launch.
     *
     * @param timeout how long to wait for the remote's hello
     * @return the connected spare, ready to receive code once taken
     * @throws ContainerException as {@link #launch}
     */
    default RemoteProcess launchSpare(Duration timeout) throws ContainerException {
        throw new ContainerException("a " + kind() + " container keeps no spare remotes");
    }

    /**
     * Makes {@code spare}, from {@link #launchSpare}, the remote of the start about to use it, as
     * {@link #launch} would have made a new one: every other remote here ends (with the grace of
     * {@link #destroy}) and the scratch folder is emptied.
     *
     * @throws ContainerException if the spare cannot be used; the start then fails with the message
     */
    default void takeSpare(RemoteProcess spare) throws ContainerException {
        throw new ContainerException("a " + kind() + " container keeps no spare remotes");
    }

    /** Ends every remote still running here and removes the environment. Idempotent; never throws. */
    void destroy();

    /**
     * Like {@link #destroy}, but at once: no grace for remotes that are exiting by themselves
     * (the second Ctrl-C). Idempotent; never throws. By default the same as {@link #destroy}.
     */
    default void kill() {
        destroy();
    }
}
