package io.servicescluster.core.data;

import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.DataClient;
import io.servicescluster.testing.services.DataServer;
import io.servicescluster.testing.services.Watcher;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;

/** Specs and helpers for the data-plane tests: services from the test classes, results from their output. */
final class DataSpecs {

    /** The result of {@link DataClient}'s {@code leftovers} when no handler's leftovers reached a later request. */
    static final String LEFTOVERS_HARMLESS = "interrupted java.lang.IllegalStateException 10 10 "
            + DataServer.BrokenMessage.class.getName();

    private DataSpecs() {
    }

    static ServiceSpec.Builder server(String name) {
        return ServiceSpec.builder(name).code(CodeSpec.ofClass(DataServer.class.getName(), TestClusters.testClasses()));
    }

    static ServiceSpec.Builder client(String name, String server, String scenarios) {
        return ServiceSpec.builder(name).dependsOn(server).setting("server", server).setting("scenarios", scenarios)
                .code(CodeSpec.ofClass(DataClient.class.getName(), TestClusters.testClasses()));
    }

    static ServiceSpec.Builder watcher(String name) {
        return ServiceSpec.builder(name).code(CodeSpec.ofClass(Watcher.class.getName(), TestClusters.testClasses()));
    }

    /**
     * Waits for the {@code ok SCENARIO …} line of a {@link DataClient} and returns its detail;
     * fails with the trace if the scenario printed {@code FAIL}.
     */
    static String result(RecordingListener events, String service, String scenario, Duration timeout) {
        try {
            Awaitility.await(scenario + " of " + service).atMost(timeout)
                    .until(() -> line(events, service, scenario).isPresent());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no result of " + scenario + " within " + timeout + "; output so far:\n"
                    + String.join("\n", events.output()) + "\nevents: " + events.history(), e);
        }
        String line = line(events, service, scenario).orElseThrow();
        if (line.startsWith("FAIL")) {
            throw new AssertionError(line.replace('|', '\n'));
        }
        return line.substring(("ok " + scenario + " ").length());
    }

    private static Optional<String> line(RecordingListener events, String service, String scenario) {
        return events.lines(service, OutputStream.STDOUT).stream()
                .filter(l -> l.startsWith("ok " + scenario + " ") || l.startsWith("FAIL " + scenario + " "))
                .findFirst();
    }
}
