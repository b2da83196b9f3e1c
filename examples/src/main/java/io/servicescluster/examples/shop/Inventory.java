package io.servicescluster.examples.shop;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stock levels: asks the catalog which products exist (a request at start), starts each at
 * {@code initialStock}, serves {@code reserve} requests ({@code PRODUCT QUANTITY}; fails when the
 * stock is short) and restocks what runs low every few seconds.
 */
public final class Inventory implements Service {

    private final Map<String, Integer> stock = new TreeMap<>();
    private ScheduledExecutorService timer;

    @Override
    public void start(ServiceContext context) throws Exception {
        int initial = Integer.parseInt(context.settings().getOrDefault("initialStock", "20"));
        String products = context.peer("catalog").requestText("products", "", Duration.ofSeconds(5)).join();
        for (String product : products.split(",")) {
            stock.put(product, initial);
        }
        context.onRequestText("reserve", this::reserve);
        System.out.println("stock ready: " + stock);
        timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(this::restock, 3, 3, TimeUnit.SECONDS);
    }

    private synchronized String reserve(String request) {
        String[] parts = request.split(" ");
        String product = parts[0];
        int quantity = Integer.parseInt(parts[1]);
        Integer left = stock.get(product);
        if (left == null) {
            throw new IllegalArgumentException("no stock of '" + product + "' kept here");
        }
        if (left < quantity) {
            throw new IllegalStateException("only " + left + " " + product + " left");
        }
        stock.put(product, left - quantity);
        return Integer.toString(left - quantity);
    }

    private synchronized void restock() {
        for (Map.Entry<String, Integer> item : stock.entrySet()) {
            if (item.getValue() < 5) {
                System.out.println("restocking " + item.getKey() + " (" + item.getValue() + " left)");
                item.setValue(item.getValue() + 10);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        System.out.println("final stock: " + stock);
    }
}
