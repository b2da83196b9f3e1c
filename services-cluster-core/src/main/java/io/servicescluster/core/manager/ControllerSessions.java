package io.servicescluster.core.manager;

import io.servicescluster.core.compile.CompiledSource;
import io.servicescluster.core.compile.SourceCompilations;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.control.ServiceController;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The real sessions: a {@link ServiceController} per start, speaking the control protocol to the
 * remote. A source service's code is compiled by {@code compilations} (or found in its cache) off
 * the loop, while the controller already reads; the remote receives the classes.
 */
final class ControllerSessions implements ControlSession.Opener {

    private final ScheduledExecutorService heartbeats;
    private final Liveness liveness;
    private final SourceCompilations compilations;

    ControllerSessions(ScheduledExecutorService heartbeats, Liveness liveness, SourceCompilations compilations) {
        this.heartbeats = heartbeats;
        this.liveness = liveness;
        this.compilations = compilations;
    }

    @Override
    public ControlSession.Waiting prepare(DecisionLoop loop, ServiceNode node, RemoteProcess remote,
            Runnable lostBeforeStart) {
        StartRelay relay = new StartRelay(lostBeforeStart);
        ServiceController controller = new ServiceController(node.name(), remote, relay);
        // completed when this start is stopped (a start timeout, a stop, the manager's close): a child's
        // compilation still queued or running for it is dropped then, not left to work on for nobody
        CompletableFuture<Void> unwanted = new CompletableFuture<>();
        controller.open(heartbeats, liveness.interval(), liveness.timeout());
        return new ControlSession.Waiting() {
            private boolean codeSent; // on the loop

            @Override
            public void sendCodeAhead(String capabilityKey, List<Path> classpath) {
                controller.sendCode(code(node, classpath, capabilityKey, unwanted));
                codeSent = true;
            }

            @Override
            public ControlSession start(int generation, List<Path> classpath) {
                NodeReports reports = new NodeReports(loop, node, generation, heartbeats);
                reports.attach(controller);
                relay.startWith(reports);
                if (codeSent) {
                    controller.startWithCodeSent(StartInstructions.dependencyEndpoints(node));
                } else {
                    controller.start(code(node, classpath, node.capabilityKey, unwanted),
                            StartInstructions.dependencyEndpoints(node));
                }
                return session(controller, reports, unwanted);
            }

            @Override
            public void stop() {
                unwanted.complete(null);
                controller.stop();
            }

            @Override
            public long rssBytes() {
                return relay.rssBeforeStart();
            }
        };
    }

    private static ControlSession session(ServiceController controller, NodeReports reports,
            CompletableFuture<Void> unwanted) {
        return new ControlSession() {
            @Override
            public void requestClose() {
                reports.stopHealth(); // a closing service is not checked: its close decides
                controller.requestClose();
            }

            @Override
            public void spawnResult(SpawnResult result) {
                controller.spawnResult(result);
            }

            @Override
            public void stop() {
                unwanted.complete(null);
                reports.stopHealth();
                controller.stop();
            }
        };
    }

    /**
     * The code to send; read from the node here, on the loop, and completed with the classes of a
     * source. A child's source was written by its parent, a service: it is compiled within the
     * bounds of a source sent by a service (docs/security.md), the user's own in the manager.
     */
    private CompletableFuture<Code> code(ServiceNode node, List<Path> classpath, String capabilityKey,
            CompletableFuture<Void> unwanted) {
        Code code = StartInstructions.code(node, classpath, capabilityKey);
        if (node.spec.code() instanceof CodeSpec.SourceCode source) {
            CompletableFuture<CompiledSource> compiled = node.isChild()
                    ? compilations.compileFromServiceAsync(source.source(), source.sourceName(), classpath, node.declaredAncestor())
                    : compilations.compileAsync(source.source(), source.sourceName(), classpath);
            unwanted.thenRun(() -> compiled.cancel(false));
            return compiled.thenApply(classes -> StartInstructions.withClasses(code, classes));
        }
        return CompletableFuture.completedFuture(code);
    }
}
