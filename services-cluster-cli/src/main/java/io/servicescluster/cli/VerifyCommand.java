package io.servicescluster.cli;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.verify.EventLogChecker;
import io.servicescluster.verify.UnreadableLogException;
import io.servicescluster.verify.Violation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code svc verify EVENTS [--cluster FILE]} (SPEC §5): checks an event log against the lifecycle
 * rules; with the cluster file, also against the file's dependency edges.
 */
@Command(name = "verify", description = "Checks an event log (svc run --events) against the lifecycle rules R4–R13 and R16.")
final class VerifyCommand implements Callable<Integer> {

    /** Exit status: the log breaks some rule. */
    static final int VIOLATIONS = 1;

    @Parameters(paramLabel = "EVENTS", description = "the event log, JSON Lines")
    Path events;

    @Option(names = "--cluster", paramLabel = "FILE", description = "the cluster file of the run: its edges are checked too")
    Path cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Map<String, List<String>>> graph = Optional.empty();
        if (cluster != null) {
            Optional<ClusterSpec> file = ClusterFiles.read(cluster, err);
            if (file.isEmpty()) {
                return Svc.INVALID;
            }
            Map<String, List<String>> edges = new LinkedHashMap<>();
            for (ServiceSpec service : file.get().services()) {
                edges.put(service.name(), service.dependsOn());
            }
            graph = Optional.of(edges);
        }
        EventLogChecker.Verdict verdict;
        try {
            verdict = EventLogChecker.check(events, graph);
        } catch (UnreadableLogException e) {
            err.println("svc verify: " + e.getMessage());
            err.flush();
            return Svc.INVALID;
        }
        if (verdict.ok()) {
            out.println("ok: " + verdict.events() + (verdict.events() == 1 ? " event, " : " events, ")
                    + verdict.services() + (verdict.services() == 1 ? " service" : " services"));
        } else {
            for (Violation violation : verdict.violations()) {
                out.println(violation);
            }
        }
        out.flush();
        return verdict.ok() ? 0 : VIOLATIONS;
    }
}
