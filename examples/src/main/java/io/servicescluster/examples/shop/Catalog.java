package io.servicescluster.examples.shop;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The product catalog: reads its products from the {@code products} setting, keeps them in a
 * file in its work directory (so a restart resumes the last prices), and revises one price every
 * {@code repriceEvery} milliseconds.
 *
 * <p>Serves requests {@code products} (the names, comma-separated) and {@code price} (a product's
 * price in cents; an unknown product fails the request), and publishes each revision as event
 * {@code price-changed} ({@code PRODUCT OLD NEW}) to the services that subscribed.
 */
public final class Catalog implements Service {

    private final Map<String, Long> pricesInCents = new LinkedHashMap<>();
    private ScheduledExecutorService timer;
    private Path file;
    private ServiceContext context;

    @Override
    public void start(ServiceContext context) throws IOException {
        this.context = context;
        file = context.workDir().resolve("prices.txt");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.split("=");
                pricesInCents.put(parts[0], Long.parseLong(parts[1]));
            }
            System.out.println("resumed " + pricesInCents.size() + " prices from " + file);
        } else {
            for (String entry : context.settings().getOrDefault("products", "apple:120").split(",")) {
                String[] parts = entry.trim().split(":");
                pricesInCents.put(parts[0], Long.parseLong(parts[1]));
            }
            save();
            System.out.println("loaded " + pricesInCents.size() + " products: " + pricesInCents.keySet());
        }
        context.onRequestText("products", body -> String.join(",", names()));
        context.onRequestText("price", this::price);
        long every = Long.parseLong(context.settings().getOrDefault("repriceEvery", "2000"));
        timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(this::reprice, every, every, TimeUnit.MILLISECONDS);
    }

    private synchronized List<String> names() {
        return new ArrayList<>(pricesInCents.keySet());
    }

    private synchronized String price(String product) {
        Long cents = pricesInCents.get(product);
        if (cents == null) {
            throw new IllegalArgumentException("no product '" + product + "' in the catalog");
        }
        return Long.toString(cents);
    }

    private synchronized void reprice() {
        List<String> names = new ArrayList<>(pricesInCents.keySet());
        String product = names.get(ThreadLocalRandom.current().nextInt(names.size()));
        long old = pricesInCents.get(product);
        long changed = Math.max(10, old + ThreadLocalRandom.current().nextLong(-15, 16));
        pricesInCents.put(product, changed);
        try {
            save();
        } catch (IOException e) {
            System.err.println("cannot save prices: " + e.getMessage());
        }
        System.out.printf("price of %s: %s -> %s%n", product, Money.format(old), Money.format(changed));
        context.publishText("price-changed", product + " " + old + " " + changed);
    }

    private void save() throws IOException {
        List<String> lines = new ArrayList<>();
        pricesInCents.forEach((name, cents) -> lines.add(name + "=" + cents));
        Files.write(file, lines);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        System.out.println("catalog closed with " + pricesInCents.size() + " products saved");
    }
}
