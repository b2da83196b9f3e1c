package io.servicescluster.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.core.ops.ControlCommands;
import io.servicescluster.core.ops.PortUnavailableException;
import io.servicescluster.core.ops.StatusJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP side (the JDK's server, as the metrics endpoint): the page and its
 * scripts from this jar, a JSON snapshot, server-sent event streams of events and of output
 * lines, resource histories, and the actions.
 *
 * <p>Access: every request must carry the run's token — in the query ({@code ?token=}, as the
 * printed URL does; an event stream can send nothing else), in the header {@code X-Svc-Token}, or
 * in the cookie that the page's first answer sets (so that its scripts and styles load). Actions
 * take the header only, so that another site can make a browser send none (the cookie is
 * {@code SameSite=Strict} besides, and no answer carries CORS headers). The {@code Host} header
 * must name the loopback address, which a DNS rebinding cannot.
 */
final class DashboardServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEB = "io/servicescluster/dashboard/web/";
    private static final String TOKEN_HEADER = "X-Svc-Token";
    /** How long a stream waits for something before it sends a keep-alive comment. */
    private static final long KEEP_ALIVE_MILLIS = 15_000;
    private static final int BATCH = 2_000;
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    private final ServicesManager manager;
    private final EventFeed feed;
    private final StatsHistory history = new StatsHistory(Dashboard.SAMPLES_KEPT);
    private final HttpServer server;
    private final ScheduledExecutorService sampler;
    private final String token;
    private final String runId;
    private final String uplotRoot;

    private DashboardServer(ServicesManager manager, EventFeed feed, HttpServer server) {
        this.manager = manager;
        this.feed = feed;
        this.server = server;
        this.token = random(32);
        this.runId = random(9);
        this.uplotRoot = webJarRoot("org.webjars.npm", "uplot");
        this.sampler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("svc-dashboard-sampler")
                .factory());
    }

    /** Serves on {@code 127.0.0.1:port}. @throws PortUnavailableException if nothing can listen there */
    static DashboardServer start(ServicesManager manager, EventFeed feed, int port) throws IOException {
        InetAddress host = InetAddress.getLoopbackAddress();
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (BindException e) {
            throw new PortUnavailableException(port, host.getHostAddress(), e);
        }
        DashboardServer server = new DashboardServer(manager, feed, http);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", server::handle);
        http.start();
        server.sampler.scheduleAtFixedRate(() -> server.history.record(manager.status()), 0, 1, TimeUnit.SECONDS);
        return server;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/?token=" + token);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    /** The folder of a WebJar's files in this jar, its version read from the jar's Maven properties. */
    private static String webJarRoot(String group, String artifact) {
        String pom = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(pom)) {
            if (in == null) {
                throw new IllegalStateException("the WebJar " + group + ":" + artifact + " is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return "META-INF/resources/webjars/" + artifact + "/" + properties.getProperty("version") + "/";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var headers = exchange.getResponseHeaders();
            headers.set("Cache-Control", "no-store");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer"); // the token is in the page's URL
            headers.set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                    + "img-src 'self' data:; frame-ancestors 'none'");
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (!hostAllowed(exchange)) {
                send(exchange, 403, "text/plain; charset=utf-8", "the dashboard answers only to http://127.0.0.1:" + port() + "\n");
                return;
            }
            boolean post = exchange.getRequestMethod().equals("POST");
            if (!(post ? tokenMatches(exchange.getRequestHeaders().getFirst(TOKEN_HEADER)) && sameOrigin(exchange)
                    : authorised(exchange, query))) {
                send(exchange, 401, "text/plain; charset=utf-8", "401: this dashboard needs the token of its URL"
                        + " (svc run --ui prints it; svc ui --cluster NAME prints it again)\n");
                return;
            }
            if (!post && !exchange.getRequestMethod().equals("GET")) {
                headers.set("Allow", "GET, POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (post) {
                if (path.equals("/api/action")) {
                    action(exchange);
                } else {
                    send(exchange, 404, "text/plain; charset=utf-8", "not found: POST " + path + "\n");
                }
                return;
            }
            switch (path) {
                case "/" -> {
                    // the cookie lets the page's own scripts and styles load; the name carries the
                    // port, for two dashboards on one host keep their own
                    headers.add("Set-Cookie", cookieName() + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
                    resource(exchange, WEB + "index.html");
                }
                case "/api/state" -> sendJson(exchange, 200, state());
                case "/api/history" -> sendJson(exchange, 200, history.toJson(query.getOrDefault("service", "")));
                case "/api/events" -> stream(exchange, since(exchange, query), false, null);
                case "/api/logs" -> stream(exchange, since(exchange, query), true, query.getOrDefault("service", ""));
                default -> {
                    if (path.startsWith("/static/") && !path.contains("..")) {
                        resource(exchange, WEB + path.substring("/static/".length()));
                    } else if (path.startsWith("/lib/uplot/") && !path.contains("..")) {
                        resource(exchange, uplotRoot + "dist/" + path.substring("/lib/uplot/".length()));
                    } else {
                        send(exchange, 404, "text/plain; charset=utf-8", "not found: " + path + "\n");
                    }
                }
            }
        } catch (IOException e) {
            // the page went away mid-answer (a reload, a closed tab)
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(DashboardServer.class).warn("dashboard: {}", e.toString(), e);
        }
    }

    private String cookieName() {
        return "svc_token_" + port();
    }

    private boolean authorised(HttpExchange exchange, Map<String, String> query) {
        if (tokenMatches(query.get("token")) || tokenMatches(exchange.getRequestHeaders().getFirst(TOKEN_HEADER))) {
            return true;
        }
        for (String cookies : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String cookie : cookies.split(";")) {
                String[] pair = cookie.trim().split("=", 2);
                if (pair.length == 2 && pair[0].equals(cookieName()) && tokenMatches(pair[1])) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean tokenMatches(String given) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code Host} other than the loopback address at this port is a DNS rebinding, or a mistake. */
    private boolean hostAllowed(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return host == null || Set.of("127.0.0.1:" + port(), "localhost:" + port()).contains(host);
    }

    /** A POST that names an origin must name this one (a browser names it on every cross-origin POST). */
    private boolean sameOrigin(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        return origin == null || Set.of("http://127.0.0.1:" + port(), "http://localhost:" + port()).contains(origin);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }

    /** Where a stream resumes: {@code Last-Event-ID} (the browser's reconnection), else {@code ?since=}, else 0. */
    private static long since(HttpExchange exchange, Map<String, String> query) {
        String last = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        String value = last != null && !last.isBlank() ? last : query.getOrDefault("since", "0");
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The snapshot: every service's status (as {@code svc ps} has it), its edges, and the seq it is as new as. */
    private ObjectNode state() {
        ObjectNode node = JSON.createObjectNode();
        // the seq first: the statuses read after it are at least as new, and the events after it replay on top
        node.put("seq", feed.lastSeq());
        node.put("cluster", manager.spec().name());
        node.put("runId", runId);
        node.put("now", java.time.Instant.now().toString());
        ArrayNode services = node.putArray("services");
        Map<String, ServiceSpec> declared = new HashMap<>();
        manager.spec().services().forEach(s -> declared.put(s.name(), s));
        for (ServiceStatus status : manager.status()) {
            ObjectNode service = StatusJson.toJson(status);
            ArrayNode dependsOn = service.putArray("dependsOn");
            ServiceSpec spec = declared.get(status.name());
            if (spec != null) {
                spec.dependsOn().forEach(dependsOn::add);
            }
            feed.parent(status.name()).ifPresent(p -> service.put("parent", p));
            services.add(service);
        }
        return node;
    }

    /**
     * A server-sent event stream of the feed's events (or of one service's lines) after
     * {@code since}, each with its {@code id}, so that the browser's reconnection sends the last
     * one back as {@code Last-Event-ID}. Events that arrive together go out in one write.
     */
    private void stream(HttpExchange exchange, long since, boolean lines, String service) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("retry: 500\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        long last = since;
        try {
            while (!feed.closed()) {
                EventFeed.Batch batch = lines ? feed.linesAfter(service, last, BATCH, KEEP_ALIVE_MILLIS)
                        : feed.eventsAfter(last, BATCH, KEEP_ALIVE_MILLIS);
                StringBuilder text = new StringBuilder();
                if (batch.gap()) {
                    // older entries left the ring: the page takes a fresh snapshot
                    text.append("event: gap\ndata: {}\n\n");
                }
                for (EventFeed.Entry entry : batch.entries()) {
                    text.append("id: ").append(entry.id()).append("\ndata: ").append(entry.json()).append("\n\n");
                    last = entry.id();
                }
                if (text.isEmpty()) {
                    text.append(": keep-alive\n\n");
                }
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code {"command": "stop"|"restart", "service": NAME}}, answered by the control commands
     * (the same rules and messages as {@code svc stop NAME} and {@code svc restart NAME}). The
     * page's "start" is a restart: it starts a service that is down.
     */
    private void action(HttpExchange exchange) throws IOException {
        JsonNode request;
        try (InputStream in = exchange.getRequestBody()) {
            request = JSON.readTree(in.readNBytes(64 * 1024));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            request = null;
        }
        if (request == null || !request.isObject() || !request.path("service").isTextual()
                || !Set.of("stop", "restart").contains(request.path("command").asText())) {
            sendJson(exchange, 400, JSON.createObjectNode().put("ok", false)
                    .put("error", "an action is {\"command\": \"stop\" or \"restart\", \"service\": NAME}"));
            return;
        }
        ObjectNode line = JSON.createObjectNode().put("command", request.get("command").asText())
                .put("service", request.get("service").asText());
        LoggerFactory.getLogger(DashboardServer.class).info("dashboard: {} {}", line.get("command").asText(),
                line.get("service").asText());
        JsonNode answer = JSON.readTree(ControlCommands.answer(manager, line.toString()));
        sendJson(exchange, answer.path("ok").asBoolean() ? 200 : 404, answer);
    }

    private void resource(HttpExchange exchange, String name) throws IOException {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found: " + exchange.getRequestURI().getPath() + "\n");
                return;
            }
            String extension = name.substring(name.lastIndexOf('.') + 1);
            send(exchange, 200, TYPES.getOrDefault(extension, "application/octet-stream"), in.readAllBytes());
        }
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        send(exchange, status, type, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        server.stop(0);
    }
}
