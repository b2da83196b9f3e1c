package io.servicescluster.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a running service sees of its cluster. Passed to {@link Service#start}; safe to use from
 * any thread until the service is closed.
 */
public interface ServiceContext {

    /** The service's name in the cluster (R1). */
    String name();

    /** The service's {@code settings} from the cluster file; never {@code null}, unmodifiable. */
    Map<String, String> settings();

    /** A private, writable directory that exists before {@link Service#start} is called. */
    Path workDir();

    /** Serves requests named {@code method} from the services that depend on this one. */
    void onRequest(String method, RequestHandler handler);

    /** Receives events named {@code event} that dependents {@link Peer#send send} to this service. */
    void onEvent(String event, EventHandler handler);

    /** Publishes an event to the dependents that {@link Peer#subscribe subscribed} to it. */
    void publish(String event, byte[] payload);

    /**
     * Returns a declared dependency that is {@code running} (R6, R15).
     *
     * @throws IllegalArgumentException if {@code dependency} is not declared in {@code dependsOn}
     * @throws IllegalStateException if the dependency is not running
     */
    Peer peer(String dependency);

    /**
     * Spawns a child service that depends on this one (R8). Needs permission {@code spawn}.
     *
     * @return the child, once it is running
     * @throws Exception if the spawn is refused or the child fails to start
     */
    Peer spawn(ChildSpec child) throws Exception;
}
