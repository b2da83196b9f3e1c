package io.servicescluster.core.container;

/**
 * Where a container kind reports what {@link ContainerFactory#clean} did, as it does it. Called
 * from the cleaning thread; implementations need not be thread-safe.
 */
public interface CleanReport {

    /**
     * One thing removed.
     *
     * @param engine the engine it was on, as users name it ({@code unix:///var/run/docker.sock},
     *     {@code kubernetes context/namespace})
     * @param what what it was and whose, in a few words ({@code container 1a2b3c4d5e6f of shop/db,
     *     left by manager pid 4711 on host1})
     */
    void removed(String engine, String what);

    /** An engine that should have been cleaned could not be (unreachable, refused): why. The kind goes on with the others. */
    void failed(String engine, String problem);
}
