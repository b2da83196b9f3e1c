package io.servicescluster.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicescluster.core.manager.ServiceState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's HTTP side, with a plain HTTP client: the token, the snapshot, the streams, the actions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ShopCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;
    private String token;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        cluster = ShopCluster.start(dir);
        URI url = cluster.dashboard.url();
        base = "http://127.0.0.1:" + url.getPort();
        token = url.getQuery().substring("token=".length());
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/action"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theUrlIsOnTheLoopbackWithATokenAndWrittenForSvcUiOnlyTheUserCanRead() throws Exception {
        URI url = cluster.dashboard.url();
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(token).hasSizeGreaterThanOrEqualTo(40);
        Path file = cluster.manager.runDirectory().resolve(Dashboard.URL_FILE);
        assertThat(Dashboard.urlOf(cluster.manager.runDirectory())).contains(url);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void everyRequestWithoutTheTokenGets401AndNoAnswerAllowsOtherOrigins() throws Exception {
        for (String path : List.of("/", "/api/state", "/api/events", "/api/logs?service=db", "/static/app.js",
                "/lib/uplot/uPlot.esm.js", "/nothing")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(401);
            assertThat(get(path + (path.contains("?") ? "&" : "?") + "token=wrong").statusCode()).as(path).isEqualTo(401);
        }
        assertThat(post("{\"command\":\"stop\",\"service\":\"web\"}").statusCode()).isEqualTo(401);
        // an action takes the header, never the query or the cookie, which another site could make a browser send
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/action?token=" + token))
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"stop\",\"service\":\"web\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(post("{\"command\":\"stop\",\"service\":\"web\"}", "X-Svc-Token", token, "Origin", "http://evil.example")
                .statusCode()).isEqualTo(401);
        HttpResponse<String> page = get("/?token=" + token, "Origin", "http://evil.example");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        assertThat(page.headers().firstValue("set-cookie")).hasValueSatisfying(c -> assertThat(c)
                .contains("HttpOnly").contains("SameSite=Strict"));
        assertThat(cluster.manager.status("web").state()).isEqualTo(ServiceState.RUNNING);
    }

    @Test
    void aRequestNamingAnotherHostIsRefused() throws Exception {
        // a DNS rebinding: the browser sends the attacker's host name, with the token a page there could not know
        // anyway; refused before the token is even looked at
        try (var socket = new java.net.Socket("127.0.0.1", URI.create(base).getPort())) {
            socket.getOutputStream().write(("GET /api/state?token=" + token + " HTTP/1.1\r\nHost: evil.example:"
                    + URI.create(base).getPort() + "\r\nConnection: close\r\n\r\n").getBytes());
            String answer = new String(socket.getInputStream().readAllBytes());
            assertThat(answer).startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void theSnapshotHasEveryServiceWithItsEdgesStateAndResources() throws Exception {
        HttpResponse<String> response = get("/api/state", "X-Svc-Token", token);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode state = JSON.readTree(response.body());
        assertThat(state.get("cluster").asText()).isEqualTo("shop");
        assertThat(state.get("seq").asLong()).isPositive();
        List<String> names = new ArrayList<>();
        state.get("services").forEach(s -> names.add(s.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrderElementsOf(ShopCluster.SERVICES);
        JsonNode web = find(state, "web");
        assertThat(web.get("state").asText()).isEqualTo("running");
        assertThat(web.get("dependsOn")).extracting(JsonNode::asText).containsExactly("auth", "orders");
        assertThat(web.get("pid").asLong()).isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                find(JSON.readTree(get("/api/state", "X-Svc-Token", token).body()), "ticker").get("exceptions"))
                .anySatisfy(e -> assertThat(e.get("stackTrace").asText()).contains("no configuration for region eu-west")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                JSON.readTree(get("/api/history?service=ticker", "X-Svc-Token", token).body()).get("rss").size())
                .isGreaterThanOrEqualTo(2));
    }

    private static JsonNode find(JsonNode state, String name) {
        for (JsonNode s : state.get("services")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no service " + name);
    }

    @Test
    void theEventStreamReplaysEverythingThenResumesAfterLastEventId() throws Exception {
        long last = cluster.eventLog().getLast().get("seq").asLong();
        List<Long> all = ids("/api/events?token=" + token, last);
        assertThat(all).isEqualTo(cluster.eventLog().stream().map(e -> e.get("seq").asLong()).filter(s -> s <= last).toList());
        // a browser's reconnection sends the last id it saw; ?since= does the same for a new page
        List<Long> resumed = ids("/api/events?token=" + token + "&since=" + (last - 3), last);
        assertThat(resumed).containsExactly(last - 2, last - 1, last);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/events?token=" + token))
                .header("Last-Event-ID", Long.toString(last - 1)).build();
        try (Stream<String> lines = http.send(request, HttpResponse.BodyHandlers.ofLines()).body()) {
            assertThat(lines.filter(l -> l.startsWith("id: ")).findFirst()).contains("id: " + last);
        }
    }

    /** The ids of a stream's entries up to {@code last}. */
    private List<Long> ids(String path, long last) throws Exception {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("text/event-stream; charset=utf-8");
        List<Long> ids = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("id: ")) {
                    ids.add(Long.parseLong(line.substring(4)));
                    if (ids.getLast() >= last) {
                        break;
                    }
                }
            }
        }
        return ids;
    }

    @Test
    void aLogStreamTailsOneServicesOutput() throws Exception {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(base
                + "/api/logs?service=ticker&token=" + token)).build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            List<JsonNode> data = lines.filter(l -> l.startsWith("data: ")).limit(25).map(l -> {
                try {
                    return JSON.readTree(l.substring(6));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertThat(data).extracting(d -> d.get("line").asText()).anyMatch(l -> l.startsWith("tick "))
                    .anyMatch(l -> l.startsWith("tock "));
        }
    }

    @Test
    void actionsAreTheControlCommandsWithTheirRulesAndMessages() throws Exception {
        HttpResponse<String> unknown = post("{\"command\":\"restart\",\"service\":\"nope\"}", "X-Svc-Token", token);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText())
                .isEqualTo("no service named 'nope' in cluster 'shop' (services: db, cache, auth, orders, web, ticker)");
        HttpResponse<String> bad = post("{\"command\":\"dump\"}", "X-Svc-Token", token);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(post("{\"command\":\"stop\",\"service\":\"web\"}", "X-Svc-Token", token, "Origin", base)
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.manager.status("web").state() == ServiceState.CLOSED);
        assertThat(post("{\"command\":\"restart\",\"service\":\"web\"}", "X-Svc-Token", token).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.manager.status("web").state() == ServiceState.RUNNING);
    }
}
