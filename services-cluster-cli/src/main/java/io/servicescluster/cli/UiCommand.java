package io.servicescluster.cli;

import io.servicescluster.core.ops.ControlClient;
import io.servicescluster.core.ops.ManagerInfo;
import io.servicescluster.dashboard.Dashboard;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code svc ui}: prints the dashboard URL of a running cluster (one started with {@code --ui},
 * detached or not), read from its run folder, which only the manager's user can read; with
 * {@code --open}, also asks the desktop's browser to open it.
 */
@Command(name = "ui", description = "Prints the live dashboard's URL of a running cluster started with --ui "
        + "(dashboard: URL), and opens it in a browser with --open.")
final class UiCommand extends OpsCommand {

    @Option(names = "--open", description = "also open the URL in the desktop's browser (xdg-open)")
    boolean open;

    @Override
    int run(ManagerInfo manager, ControlClient client) throws Exception {
        Optional<URI> url = Dashboard.urlOf(manager.socket().getParent());
        if (url.isEmpty()) {
            return fail("cluster '" + manager.cluster() + "' serves no dashboard: start it with svc run FILE --ui PORT"
                    + " (with --detach too)");
        }
        out().println("dashboard: " + url.get());
        out().flush();
        if (open) {
            try {
                new ProcessBuilder("xdg-open", url.get().toString()).inheritIO().start();
            } catch (java.io.IOException e) {
                return fail("cannot open a browser (" + e.getMessage() + "); open the URL above by hand");
            }
        }
        return 0;
    }
}
