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
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.manager.ServicesManager;
import java.io.IOException;
import java.io.OutputStream;
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
 * {@code /metrics}. Per service (tag {@code service}): {@code svc_service_state} (1 for the
 * current state, tag {@code state}, else 0), {@code svc_service_up}, {@code svc_service_restarts_total},
 * {@code svc_service_exceptions_total}, {@code svc_service_cpu_percent},
 * {@code svc_service_cpu_seconds}, {@code svc_service_rss_bytes}, {@code svc_service_heap_used_bytes},
 * {@code svc_service_heap_max_bytes}. Values are read from {@link ServicesManager#status()} once
 * per scrape. The data plane records requests through {@link #recordRequest}.
 */
public final class ClusterMetrics implements ClusterListener, AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> exceptions = new ConcurrentHashMap<>();
    private volatile Map<String, ServiceStatus> snapshot = Map.of();
    private ServicesManager manager;
    private HttpServer server;

    /** The registry, for more meters of the embedding application or the data plane. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Registers the meters of every service of {@code manager} and serves them on
     * {@code 127.0.0.1:port} ({@code 0}: a free port, see {@link #port()}).
     */
    public void serve(ServicesManager manager, int port) throws IOException {
        this.manager = manager;
        for (ServiceStatus service : manager.status()) {
            register(service.name());
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/metrics", this::handle);
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
                .tag("service", name).description("1 while the service runs").register(registry);
        FunctionCounter.builder("svc.service.restarts", this, m -> Math.max(0, m.current(name).starts() - 1))
                .tag("service", name).description("starts after the first").register(registry);
        exceptions.put(name, Counter.builder("svc.service.exceptions").tag("service", name)
                .description("uncaught exceptions in the service").register(registry));
        stat(name, "svc.service.cpu.percent", "CPU use of the service's process, percent of one core",
                ResourceStats::cpuPercent);
        stat(name, "svc.service.cpu.seconds", "CPU time of the service's current process",
                s -> s.cpuTimeNanos() / 1e9);
        stat(name, "svc.service.rss.bytes", "resident memory of the service's process", s -> s.rssBytes());
        stat(name, "svc.service.heap.used.bytes", "Java heap in use", s -> s.heapUsedBytes());
        stat(name, "svc.service.heap.max.bytes", "Java heap limit", s -> s.heapMaxBytes());
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
    public void onException(String service, ExceptionReport report) {
        Counter counter = exceptions.get(service);
        if (counter != null) {
            counter.increment();
        }
    }

    /** The Prometheus text of every meter, with fresh values. */
    public String scrape() {
        snapshot = manager.status().stream().collect(Collectors.toMap(ServiceStatus::name, s -> s));
        return registry.scrape();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
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
