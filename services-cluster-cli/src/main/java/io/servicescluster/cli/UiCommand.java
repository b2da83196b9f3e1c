package io.servicescluster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.servicescluster.core.ops.ControlClient;
import io.servicescluster.core.ops.ManagerInfo;
import io.servicescluster.dashboard.Dashboard;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code svc ui}: prints the dashboard URL of a running cluster, detached or not: the one it
 * serves (started with {@code --ui}, read from its run folder, which only the manager's user can
 * read), or, for one started without, asks its manager to serve it now (the control command
 * {@code ui}, on {@code --port}); with {@code --open}, also asks the desktop's browser to open it.
 */
@Command(name = "ui", description = "Prints the live dashboard's URL of a running cluster (dashboard: URL), "
        + "serving it first if the cluster was started without --ui, and opens it in a browser with --open.")
final class UiCommand extends OpsCommand {

    @Option(names = "--open", description = "also open the URL in the desktop's browser (xdg-open)")
    boolean open;

    @Option(names = "--port", paramLabel = "PORT", description = "where to serve it if it is not served yet "
            + "(127.0.0.1; default 0: a free port)")
    int port;

    @Override
    int run(ManagerInfo manager, ControlClient client) throws Exception {
        Optional<URI> url = Dashboard.urlOf(manager.socket().getParent());
        if (url.isEmpty()) { // started without --ui: the manager serves it now (a refusal is an error)
            JsonNode answer = client.call(JsonNodeFactory.instance.objectNode().put("command", "ui").put("port", port));
            url = Optional.of(URI.create(answer.path("url").asText()));
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
