package io.servicescluster.core.manager;

import io.servicescluster.protocol.Durations;
import io.servicescluster.core.config.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides, for one service, whether it is started again after it ended (SPEC §4 {@code restart}):
 * the policy says when; the intensity ({@code maxRestarts} within {@code within}, as in Erlang/OTP
 * supervisors) says how often before giving up; the delay doubles from {@code backoff} with each
 * restart in the window, up to {@link #MAX_BACKOFF}. Pure logic on the decision loop's thread.
 */
final class RestartTracker {

    /** The longest delay before a restart, however many came before. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** What to do with a service that ended. */
    sealed interface Decision {
    }

    /** The policy does not restart it. */
    record StayDown() implements Decision {
    }

    /** The policy would restart it, but it ended too often: it is {@code failed}. */
    record GiveUp(String reason) implements Decision {
    }

    /** Start it again after {@code delay}; {@code attempt} counts restarts in the current window. */
    record Restart(int attempt, Duration delay) implements Decision {
    }

    private final RestartPolicy policy;
    private final Deque<Instant> recent = new ArrayDeque<>();

    RestartTracker(RestartPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param now when it ended
     * @param failure whether it crashed or failed to start, rather than exiting of its own accord
     */
    Decision decide(Instant now, boolean failure) {
        boolean applies = policy.policy() == RestartPolicy.Policy.ALWAYS
                || policy.policy() == RestartPolicy.Policy.ON_FAILURE && failure;
        if (!applies) {
            return new StayDown();
        }
        Instant windowStart = now.minus(policy.within());
        while (!recent.isEmpty() && recent.peekFirst().isBefore(windowStart)) {
            recent.removeFirst();
        }
        if (recent.size() >= policy.maxRestarts()) {
            return new GiveUp("gave up: " + recent.size() + (recent.size() == 1 ? " restart" : " restarts")
                    + " within " + Durations.format(policy.within()) + " (maxRestarts " + policy.maxRestarts() + ")");
        }
        recent.addLast(now);
        int attempt = recent.size();
        Duration delay = policy.backoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return new Restart(attempt, delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay);
    }
}
