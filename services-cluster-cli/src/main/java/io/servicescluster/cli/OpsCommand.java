package io.servicescluster.cli;

import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.ops.ControlClient;
import io.servicescluster.core.ops.ControlException;
import io.servicescluster.core.ops.ManagerInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a running cluster (SPEC §5): finds it, connects to its control socket,
 * and says plainly, with exit status 1, when there is none or a service name is unknown.
 */
abstract class OpsCommand implements Callable<Integer> {

    /** Exit status: no cluster running, an unknown service, or the manager refused. */
    static final int FAILED = 1;

    @Option(names = "--cluster", paramLabel = "NAME-OR-FILE",
            description = "the running cluster: its name or its cluster file (default: the one from ./cluster.yaml, "
                    + "else the only one running)")
    String cluster;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        ManagerInfo manager;
        try {
            manager = ClusterLocator.locate(cluster);
        } catch (ClusterLocator.NotRunning e) {
            return notRunning(e);
        } catch (ClusterLocator.NotFound e) {
            return fail(e.getMessage());
        }
        try (ControlClient client = ControlClient.connect(manager.socket())) {
            return run(manager, client);
        } catch (ControlException e) {
            return fail(e.getMessage());
        } catch (IOException e) {
            return fail("cluster '" + manager.cluster() + "' (pid " + manager.pid() + ") does not answer: " + e.getMessage());
        }
    }

    /** Does the command's work; returns the exit status. */
    abstract int run(ManagerInfo manager, ControlClient client) throws Exception;

    /** The cluster of a cluster file is not running: by default, says so and fails. */
    int notRunning(ClusterLocator.NotRunning notRunning) throws Exception {
        return fail(notRunning.getMessage());
    }

    /** Prints {@code svc NAME: message} to stderr and returns {@link #FAILED}. */
    int fail(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("svc " + spec.name() + ": " + message);
        err.flush();
        return FAILED;
    }

    /**
     * The statuses of the cluster, after checking that {@code service} is one of them.
     *
     * @throws ControlException naming the known services if it is not
     */
    static List<ServiceStatus> requireService(ManagerInfo manager, ControlClient client, String service)
            throws IOException {
        List<ServiceStatus> all = client.status();
        List<String> names = all.stream().map(ServiceStatus::name).toList();
        if (!names.contains(service)) {
            throw new ControlException("no service named '" + service + "' in cluster '" + manager.cluster()
                    + "' (services: " + String.join(", ", names) + ")", names);
        }
        return all;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
