package io.servicescluster.examples.shop;

import io.servicescluster.api.Peer;
import io.servicescluster.api.RemoteException;
import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes orders: one every {@code orderEvery} milliseconds. For each it asks the catalog for the
 * price and the inventory to reserve the stock (two requests), then appends the order to a
 * journal in its work directory. It also subscribes to the catalog's {@code price-changed} events,
 * and answers {@code taken} (how many orders so far) for the audit.
 */
public final class Orders implements Service {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final AtomicLong next = new AtomicLong(1);
    private ScheduledExecutorService timer;
    private Path journal;
    private List<String> products;
    private Peer catalog;
    private Peer inventory;

    @Override
    public void start(ServiceContext context) throws IOException {
        catalog = context.peer("catalog");
        inventory = context.peer("inventory");
        products = List.of(catalog.requestText("products", "", TIMEOUT).join().split(","));
        catalog.subscribeText("price-changed", change -> {
            String[] parts = change.split(" ");
            System.out.printf("noticed: %s now costs %s%n", parts[0], Money.format(Long.parseLong(parts[2])));
        });
        journal = context.workDir().resolve("orders.log");
        if (Files.exists(journal)) {
            next.set(Files.readAllLines(journal).size() + 1);
        }
        context.onRequestText("taken", body -> Long.toString(next.get() - 1));
        System.out.println("taking orders from #" + next.get() + ", journal " + journal);
        long every = Long.parseLong(context.settings().getOrDefault("orderEvery", "1000"));
        timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(this::takeOrder, every, every, TimeUnit.MILLISECONDS);
    }

    private void takeOrder() {
        String product = products.get(ThreadLocalRandom.current().nextInt(products.size()));
        int quantity = ThreadLocalRandom.current().nextInt(1, 5);
        long number = next.getAndIncrement();
        try {
            long cents = Long.parseLong(catalog.requestText("price", product, TIMEOUT).join());
            String left = inventory.requestText("reserve", product + " " + quantity, TIMEOUT).join();
            String line = "order #" + number + ": " + quantity + " x " + product + " at " + Money.format(cents)
                    + " = " + Money.format(cents * quantity) + " (" + left + " left)";
            Files.writeString(journal, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            System.out.println(line);
        } catch (CompletionException e) {
            String why = e.getCause() instanceof RemoteException remote ? remote.remoteMessage()
                    : String.valueOf(e.getCause());
            System.out.println("order #" + number + " refused: " + why);
        } catch (IOException e) {
            System.err.println("cannot journal order #" + number + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        System.out.println("orders closed after #" + (next.get() - 1));
    }
}
