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
    public ControlSession open(DecisionLoop loop, ServiceNode node, int generation, RemoteProcess remote,
            List<Path> classpath) {
        NodeReports reports = new NodeReports(loop, node, generation, heartbeats);
        ServiceController controller = new ServiceController(node.name(), remote, reports);
        reports.attach(controller);
        controller.begin(StartInstructions.code(node, classpath), StartInstructions.dependencyEndpoints(node),
                heartbeats, liveness.interval(), liveness.timeout());
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
