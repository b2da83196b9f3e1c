package io.servicescluster.examples.shop;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Stock levels: starts every product at {@code initialStock} and restocks what runs low. */
public final class Inventory implements Service {

    private final Map<String, Integer> stock = new TreeMap<>();
    private ScheduledExecutorService timer;

    @Override
    public void start(ServiceContext context) {
        int initial = Integer.parseInt(context.settings().getOrDefault("initialStock", "20"));
        for (String entry : context.settings().getOrDefault("products", "apple").split(",")) {
            stock.put(entry.trim().split(":")[0], initial);
        }
        System.out.println("stock ready: " + stock);
        timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(this::sellAndRestock, 700, 700, TimeUnit.MILLISECONDS);
    }

    private synchronized void sellAndRestock() {
        for (Map.Entry<String, Integer> item : stock.entrySet()) {
            int left = item.getValue() - ThreadLocalRandom.current().nextInt(0, 4);
            if (left < 5) {
                System.out.println("restocking " + item.getKey() + " (" + Math.max(left, 0) + " left)");
                left += 20;
            }
            item.setValue(Math.max(left, 0));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        System.out.println("final stock: " + stock);
    }
}
