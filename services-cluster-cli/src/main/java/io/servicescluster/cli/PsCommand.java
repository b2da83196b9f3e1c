package io.servicescluster.cli;

import io.servicescluster.core.ops.ControlClient;
import io.servicescluster.core.ops.ManagerInfo;
import java.time.Instant;
import picocli.CommandLine.Command;

/** {@code svc ps}: every service of a running cluster with its state, process and resources. */
@Command(name = "ps", description = "Lists the services of a running cluster: state, pid, uptime, restarts, "
        + "CPU, memory, last exception.")
final class PsCommand extends OpsCommand {

    @Override
    int run(ManagerInfo manager, ControlClient client) throws Exception {
        out().print(StatusTable.render(client.status(), Instant.now()));
        out().flush();
        return 0;
    }
}
