package io.servicescluster.core.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ExceptionReport;
import io.servicescluster.core.manager.ResourceStats;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.manager.ServicesManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The cluster's Prometheus metrics (Micrometer), served over HTTP on 127.0.0.1 at
 * {@code /metrics}, with a page linking there at {@code /}. Every meter has the tags
 * {@code cluster} and {@code service}; the table in docs/operations.md lists them. Cumulative
 * figures are counters that keep counting across restarts of a service (for as long as the
 * manager runs), so that {@code rate()} and {@code increase()} work on them. Values are read from
 * {@link ServicesManager#status()} once per scrape; events and exceptions are counted as they
 * happen. The data plane records requests through {@link #recordRequest}.
 */
public final class ClusterMetrics implements ClusterListener, AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, EventCounters> counters = new ConcurrentHashMap<>();
    private volatile Map<String, ServiceStatus> snapshot = Map.of();
    private ServicesManager manager;
    private HttpServer server;

    /** The counters fed by what services report, per service. */
    private record EventCounters(Counter exceptions, Counter crashes, Counter failures, Counter unhealthy) {
    }

    /** Metrics not yet served: {@link #serve} starts the endpoint ({@link Operations} does). */
    public ClusterMetrics() {
    }

    /** The registry, for more meters of the embedding application or the data plane. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Registers the meters of every service of {@code manager} and serves them on
     * {@code 127.0.0.1:port} ({@code 0}: a free port, see {@link #port()}).
     *
     * @throws PortUnavailableException if nothing can listen on that port
     */
    public void serve(ServicesManager manager, int port) throws IOException {
        this.manager = manager;
        // before the first meter: common tags apply to the meters registered after them
        registry.config().commonTags("cluster", manager.spec().name());
        for (ServiceStatus service : manager.status()) {
            register(service.name());
        }
        InetAddress host = InetAddress.getLoopbackAddress();
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (BindException e) {
            throw new PortUnavailableException(port, host.getHostAddress(), e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The port the endpoint listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void register(String name) {
        for (ServiceState state : ServiceState.values()) {
            Gauge.builder("svc.service.state", () -> current(name).state() == state ? 1 : 0).tag("service", name)
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("1 for the state the service is in, else 0").register(registry);
        }
        Gauge.builder("svc.service.up", () -> current(name).state() == ServiceState.RUNNING ? 1 : 0)
                .tag("service", name).description("1 while the service runs, else 0").register(registry);
        FunctionCounter.builder("svc.service.restarts", this, m -> Math.max(0, m.current(name).starts() - 1))
                .tag("service", name).description("starts of the service after its first").register(registry);
        counters.put(name, new EventCounters(
                counter(name, "svc.service.exceptions", "uncaught exceptions in the service"),
                counter(name, "svc.service.crashes", "ends of the service without an orderly close"),
                counter(name, "svc.service.failures", "failed starts of the service (its container's creation included)"),
                counter(name, "svc.service.unhealthy", "failing health checks of the running service (R16)")));
        Gauge.builder("svc.service.healthy", () -> current(name).health().map(h -> h.equals("healthy") ? 1 : 0).orElse(-1))
                .tag("service", name).description("1 while its last health check passed, 0 while failing or not yet"
                        + " passed, -1 without a check (or not running)").register(registry);
        FunctionCounter.builder("svc.service.cpu", this, m -> m.current(name).totalCpuTimeNanos() / 1e9)
                .baseUnit("seconds").tag("service", name)
                .description("CPU time of the service's processes, all its runs").register(registry);
        stat(name, "svc.service.rss.bytes", "resident memory of the service's process (0 without one)",
                ResourceStats::rssBytes);
        Gauge.builder("svc.service.ready.rss.bytes", () -> current(name).readyRssBytes())
                .tag("service", name).description("resident memory of the remote kept ready for the service's next "
                        + "start: a spare of the warm pool, or one launched ahead (0 without one)").register(registry);
        stat(name, "svc.service.heap.used.bytes", "Java heap in use in the service's process (0 without one)",
                ResourceStats::heapUsedBytes);
        stat(name, "svc.service.heap.max.bytes", "Java heap limit of the service's process (0 without one)",
                ResourceStats::heapMaxBytes);
    }

    private Counter counter(String name, String meter, String description) {
        return Counter.builder(meter).tag("service", name).description(description).register(registry);
    }

    private void stat(String name, String meter, String description, ToDoubleFunction<ResourceStats> value) {
        Gauge.builder(meter, () -> current(name).stats().map(value::applyAsDouble).orElse(0.0))
                .tag("service", name).description(description).register(registry);
    }

    private ServiceStatus current(String name) {
        ServiceStatus status = snapshot.get(name);
        return status != null ? status : manager.status(name);
    }

    /**
     * The data-plane hook: records one request that {@code service} made to {@code peer} as the
     * timer {@code svc_requests_seconds} (tags service, peer, method, outcome).
     */
    public void recordRequest(String service, String peer, String method, Duration latency, boolean succeeded) {
        Timer.builder("svc.requests").tag("service", service).tag("peer", peer).tag("method", method)
                .tag("outcome", succeeded ? "ok" : "error").register(registry).record(latency);
    }

    @Override
    public void onEvent(ServiceEvent event) {
        EventCounters service = counters.get(event.service());
        if (service == null) {
            return;
        }
        switch (event.type()) {
            case CRASHED -> service.crashes().increment();
            case FAILED -> service.failures().increment();
            case UNHEALTHY -> service.unhealthy().increment();
            default -> {
            }
        }
    }

    @Override
    public void onException(String service, ExceptionReport report) {
        EventCounters counter = counters.get(service);
        if (counter != null) {
            counter.exceptions().increment();
        }
    }

    /** The Prometheus text of every meter, with fresh values. */
    public String scrape() {
        snapshot = manager.status().stream().collect(Collectors.toMap(ServiceStatus::name, s -> s));
        return registry.scrape();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/") && !path.equals("/metrics")) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found: " + path + " (the metrics are at /metrics)\n");
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
            } else if (path.equals("/")) {
                send(exchange, 200, "text/html; charset=utf-8", index());
            } else {
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", scrape());
            }
        }
    }

    /** The page at {@code /}, for whoever opens the port in a browser (as Prometheus exporters do). */
    private String index() {
        // the cluster name follows R1 (a-z, 0-9, '-'), so it needs no escaping in HTML
        String title = "services-cluster " + manager.spec().name();
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n"
                + "<body><h1>" + title + "</h1><p><a href=\"/metrics\">Metrics</a> (Prometheus text)</p></body></html>\n";
    }

    private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops serving. */
    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        registry.close();
    }
}
