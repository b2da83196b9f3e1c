package io.servicescluster.examples.shop;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Takes orders: one every {@code orderEvery} milliseconds, appended to a journal in its work directory. */
public final class Orders implements Service {

    private final AtomicLong next = new AtomicLong(1);
    private ScheduledExecutorService timer;
    private Path journal;
    private List<String> products;

    @Override
    public void start(ServiceContext context) throws IOException {
        products = List.of(context.settings().getOrDefault("products", "apple").split(","));
        journal = context.workDir().resolve("orders.log");
        if (Files.exists(journal)) {
            next.set(Files.readAllLines(journal).size() + 1);
        }
        System.out.println("taking orders from #" + next.get() + ", journal " + journal);
        long every = Long.parseLong(context.settings().getOrDefault("orderEvery", "1000"));
        timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(this::takeOrder, every, every, TimeUnit.MILLISECONDS);
    }

    private void takeOrder() {
        String product = products.get(ThreadLocalRandom.current().nextInt(products.size())).trim().split(":")[0];
        int quantity = ThreadLocalRandom.current().nextInt(1, 5);
        String line = "order #" + next.getAndIncrement() + ": " + quantity + " x " + product;
        try {
            Files.writeString(journal, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            System.out.println(line);
        } catch (IOException e) {
            System.err.println("cannot journal " + line + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        System.out.println("orders closed after #" + (next.get() - 1));
    }
}
