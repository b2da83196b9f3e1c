package io.servicescluster.remote;

import io.servicescluster.api.ChildSpec;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.Spawn;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import io.servicescluster.remote.data.DataPlane;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's spawn requests (R8) on their way to the manager and back: each {@link Spawn}
 * goes out through the {@link Outbox} and waits for the {@link SpawnResult} of its number, which
 * the reader hands to {@link #answered}. The remote decides nothing itself (no permission check:
 * the manager refuses, R15). A spawn goes out at once, from {@code start} too (R8: a parent may
 * build its workers before it is ready; the child starts while the parent is still starting).
 *
 * <p>Threading: {@link #spawn} from any service thread; {@link #answered} from the reader.
 */
final class SpawnRequests implements DataPlane.Spawner {

    private final Outbox outbox;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<SpawnResult>> pending = new ConcurrentHashMap<>();

    SpawnRequests(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Asks the manager to spawn {@code child} and waits for the answer (any service thread). */
    @Override
    public SpawnResult spawn(ChildSpec child, long timeoutNanos) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeoutNanos;
        long id = ids.incrementAndGet();
        CompletableFuture<SpawnResult> answer = new CompletableFuture<>();
        pending.put(id, answer);
        CodeKind kind = child.codeKind() == ChildSpec.CodeKind.CLASS ? CodeKind.CLASS : CodeKind.SOURCE;
        outbox.send(new Spawn(id, child.name(), kind, child.code(), child.settings()));
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("spawn of '" + child.name() + "' got no answer from the manager within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + "ms (setting spawnTimeout)");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    /** The manager's answer (reader thread); an answer nobody waits for any more (timed out) is dropped. */
    void answered(SpawnResult result) {
        CompletableFuture<SpawnResult> answer = pending.remove(result.requestId());
        if (answer != null) {
            answer.complete(result);
        }
    }
}
