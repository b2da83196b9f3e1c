package io.servicescluster.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.api.EventHandler;
import io.servicescluster.api.Peer;
import io.servicescluster.api.RequestHandler;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** JSON bodies, with an in-memory peer whose "handler" is a {@link Json#handler}. */
class JsonTest {

    record Quote(String product, long cents) {
    }

    @Test
    void recordsTravelAsJson() {
        RequestHandler quote = Json.handler(String.class, product -> new Quote(product, 120));
        Peer peer = new LoopPeer(quote);
        assertThat(Json.request(peer, "quote", "apple", Quote.class).join()).isEqualTo(new Quote("apple", 120));
        assertThat(new String(Json.bytes(new Quote("fig", 5)))).isEqualTo("{\"product\":\"fig\",\"cents\":5}");
    }

    @Test
    void eventsAreReadAsTheirType() {
        List<Quote> seen = new ArrayList<>();
        EventHandler handler = Json.events(Quote.class, seen::add);
        handler.handle("q", Json.bytes(new Quote("pear", 90)));
        assertThat(seen).containsExactly(new Quote("pear", 90));
    }

    @Test
    void unreadableBodiesFailClearly() {
        assertThatThrownBy(() -> Json.value("{nope".getBytes(), Quote.class))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot read Quote from JSON");
    }

    /** A peer that answers every request with one handler, in the caller's thread. */
    private record LoopPeer(RequestHandler handler) implements Peer {
        @Override
        public String name() {
            return "loop";
        }

        @Override
        public CompletableFuture<byte[]> request(String method, byte[] body) {
            try {
                return CompletableFuture.completedFuture(handler.handle(body));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public void send(String event, byte[] payload) {
        }

        @Override
        public void subscribe(String event, EventHandler handler) {
        }
    }
}
