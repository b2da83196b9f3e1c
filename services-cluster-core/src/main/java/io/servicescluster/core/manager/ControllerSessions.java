package io.servicescluster.core.manager;

import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.control.ServiceController;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** The real sessions: a {@link ServiceController} per start, speaking the control protocol to the remote. */
final class ControllerSessions implements ControlSession.Opener {

    private final ScheduledExecutorService heartbeats;
    private final Liveness liveness;

    ControllerSessions(ScheduledExecutorService heartbeats, Liveness liveness) {
        this.heartbeats = heartbeats;
        this.liveness = liveness;
    }

    @Override
    public ControlSession.Waiting prepare(DecisionLoop loop, ServiceNode node, RemoteProcess remote,
            Runnable lostBeforeStart) {
        StartRelay relay = new StartRelay(lostBeforeStart);
        ServiceController controller = new ServiceController(node.name(), remote, relay);
        controller.open(heartbeats, liveness.interval(), liveness.timeout());
        return new ControlSession.Waiting() {
            @Override
            public ControlSession start(int generation, List<Path> classpath) {
                NodeReports reports = new NodeReports(loop, node, generation, heartbeats);
                reports.attach(controller);
                relay.startWith(reports);
                controller.start(StartInstructions.code(node, classpath), StartInstructions.dependencyEndpoints(node));
                return session(controller, reports);
            }

            @Override
            public void stop() {
                controller.stop();
            }
        };
    }

    private static ControlSession session(ServiceController controller, NodeReports reports) {
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
                reports.stopHealth();
                controller.stop();
            }
        };
    }
}
