package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.WaitResponse;
import io.servicescluster.core.container.RemoteProcess.Exit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's containers that one {@link DockerContainer} made and has not removed yet, with the
 * end of each: a container is removed as soon as its end is known (the engine's {@code wait}),
 * the rest when the service's container is destroyed. Thread-safe: launches, the engine's
 * callbacks and {@code destroy} race here.
 */
final class EngineContainers {

    private static final Logger log = LoggerFactory.getLogger(EngineContainers.class);
    /** How long the last output may take to arrive after the engine reported the exit. */
    private static final long DRAIN_MILLIS = 200;
    /** How long removing a container may take. */
    private static final long REMOVE_SECONDS = 30;

    private final String service;
    /** Containers made and not yet removed, with the end of each (when started). */
    private final Map<String, CompletableFuture<Exit>> containers = new ConcurrentHashMap<>();
    /** Removals under way or done, by container id. */
    private final Map<String, CompletableFuture<Void>> removals = new ConcurrentHashMap<>();

    /** @param service the service's name, for the logs */
    EngineContainers(String service) {
        this.service = service;
    }

    /** Counts container {@code id} as made: from now on {@link #removeAll} removes it. */
    void made(String id) {
        containers.put(id, new CompletableFuture<>());
    }

    /** The ends of the containers still here, done or not. */
    List<CompletableFuture<Exit>> ends() {
        return List.copyOf(containers.values());
    }

    /**
     * The end of container {@code id}, from the engine's own {@code wait} (it is not this
     * manager's child, so no pid can be waited for): its status, whether the kernel killed it for
     * its memory limit ({@code State.OOMKilled}) or the JVM ended for want of heap (its last
     * words). The container is removed once that is known.
     */
    CompletableFuture<Exit> exitOf(DockerClient docker, String id, LogPump logs) {
        CompletableFuture<Long> status = waitFor(docker, id);
        CompletableFuture<Exit> exit = containers.computeIfAbsent(id, k -> new CompletableFuture<>());
        status.thenCompose(code -> logs.ended().completeOnTimeout(null, DRAIN_MILLIS, TimeUnit.MILLISECONDS)
                        .thenApply(ignored -> code))
                .thenApplyAsync(code -> inspectExit(docker, id, code, logs))
                .whenComplete((end, error) -> {
                    exit.complete(end != null ? end
                            : new Exit(-1, "ended (the engine's report was lost: " + error + ")", false));
                    remove(docker, id);
                });
        return exit;
    }

    /** The status code the engine's {@code wait} reports; null if its answer is lost. */
    private static CompletableFuture<Long> waitFor(DockerClient docker, String id) {
        CompletableFuture<Long> status = new CompletableFuture<>();
        docker.waitContainerCmd(id).exec(new ResultCallback.Adapter<WaitResponse>() {
            @Override
            public void onNext(WaitResponse response) {
                status.complete(response.getStatusCode() == null ? -1L : response.getStatusCode().longValue());
            }

            @Override
            public void onError(Throwable throwable) {
                status.complete(null); // the engine's answer is lost: ask with inspect later
                super.onError(throwable);
            }

            @Override
            public void onComplete() {
                status.complete(null);
                super.onComplete();
            }
        });
        return status;
    }

    /** The end of an ended container: its code (from {@code inspect} if {@code wait}'s is lost) and why. */
    private Exit inspectExit(DockerClient docker, String id, Long code, LogPump logs) {
        boolean killedForMemory = false;
        long exitCode = code == null ? -1 : code;
        try {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
            killedForMemory = Boolean.TRUE.equals(state.getOOMKilled());
            if (exitCode < 0 && state.getExitCodeLong() != null) {
                exitCode = state.getExitCodeLong();
            }
        } catch (RuntimeException e) {
            log.debug("{}: cannot inspect container {} after its exit: {}", service, id, e.toString());
        }
        int codeInt = (int) exitCode;
        return new Exit(codeInt, describeExit(codeInt, killedForMemory), killedForMemory || logs.outOfMemory());
    }

    /** {@code exited with code 1}, {@code was killed by signal 9 (SIGKILL)}, or the memory limit. */
    static String describeExit(int code, boolean killedForMemory) {
        if (killedForMemory) {
            return "was killed by the kernel for exceeding its memory limit (exit code " + code + ")";
        }
        return Exit.describeStatus(code);
    }

    /**
     * Removes container {@code id} (forced: a running one is killed first) and waits until the
     * engine has done so. Callers racing for one container (its exit, {@link #removeAll}) share
     * one removal, so none returns while the engine is still at it.
     */
    void remove(DockerClient docker, String id) {
        CompletableFuture<Void> removal = removals.computeIfAbsent(id, k -> CompletableFuture.runAsync(() -> {
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException e) {
                log.debug("{}: removing container {}: {}", service, id, DockerEngine.describe(e));
            }
        }, task -> Thread.ofVirtual().name("svc-docker-remove").start(task)));
        try {
            removal.get(REMOVE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{}: the engine did not remove container {} within {} s", service, id, REMOVE_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture<Exit> exit = containers.remove(id);
        if (exit != null && !exit.isDone()) {
            exit.complete(new Exit(-1, "was removed", false));
        }
    }

    /** Whether no container is left to remove. */
    boolean isEmpty() {
        return containers.isEmpty();
    }

    /** Removes every container still here, each killed first. */
    void removeAll(DockerClient docker) {
        for (String id : List.copyOf(containers.keySet())) {
            remove(docker, id); // forced: kills it first
        }
    }
}
