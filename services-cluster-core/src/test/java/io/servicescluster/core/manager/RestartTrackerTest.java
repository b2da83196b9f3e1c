package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.RestartPolicy.Policy;
import io.servicescluster.core.manager.RestartTracker.GiveUp;
import io.servicescluster.core.manager.RestartTracker.Restart;
import io.servicescluster.core.manager.RestartTracker.StayDown;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §4 {@code restart}: policies, intensity within a window, doubling backoff with a cap. Pure. */
class RestartTrackerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static RestartTracker tracker(Policy policy, int maxRestarts, Duration within, Duration backoff) {
        return new RestartTracker(new RestartPolicy(policy, maxRestarts, within, backoff));
    }

    @Test
    void neverRestartsNeitherAFailureNorACleanExit() {
        RestartTracker never = new RestartTracker(RestartPolicy.NEVER);
        assertThat(never.decide(T0, true)).isEqualTo(new StayDown());
        assertThat(never.decide(T0, false)).isEqualTo(new StayDown());
    }

    @Test
    void onFailureRestartsFailuresOnlyAndACleanExitDoesNotCount() {
        RestartTracker onFailure = tracker(Policy.ON_FAILURE, 2, Duration.ofSeconds(60), Duration.ofMillis(100));
        assertThat(onFailure.decide(T0, false)).isEqualTo(new StayDown());
        assertThat(onFailure.decide(T0.plusSeconds(1), false)).isEqualTo(new StayDown());
        // the clean exits did not use up the intensity: two restarts are still allowed
        assertThat(onFailure.decide(T0.plusSeconds(2), true)).isEqualTo(new Restart(1, Duration.ofMillis(100)));
        assertThat(onFailure.decide(T0.plusSeconds(3), true)).isEqualTo(new Restart(2, Duration.ofMillis(200)));
        assertThat(onFailure.decide(T0.plusSeconds(4), true)).isInstanceOf(GiveUp.class);
    }

    @Test
    void alwaysRestartsACleanExitToo() {
        RestartTracker always = tracker(Policy.ALWAYS, 5, Duration.ofSeconds(60), Duration.ofMillis(250));
        assertThat(always.decide(T0, false)).isEqualTo(new Restart(1, Duration.ofMillis(250)));
        assertThat(always.decide(T0.plusSeconds(1), true)).isEqualTo(new Restart(2, Duration.ofMillis(500)));
    }

    @Test
    void givesUpAfterMaxRestartsWithinTheWindowAndSaysWhy() {
        RestartTracker tracker = tracker(Policy.ON_FAILURE, 3, Duration.ofSeconds(60), Duration.ofMillis(100));
        List<Duration> delays = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Restart restart = (Restart) tracker.decide(T0.plusSeconds(i), true);
            assertThat(restart.attempt()).isEqualTo(i);
            delays.add(restart.delay());
        }
        assertThat(delays).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
        RestartTracker.Decision fourth = tracker.decide(T0.plusSeconds(4), true);
        assertThat(fourth).isEqualTo(new GiveUp("gave up: 3 restarts within 1m (maxRestarts 3)"));
        // giving up is final for this window: asking again gives up again, it does not restart
        assertThat(tracker.decide(T0.plusSeconds(5), true)).isInstanceOf(GiveUp.class);
    }

    @Test
    void singularRestartInTheReason() {
        RestartTracker tracker = tracker(Policy.ALWAYS, 1, Duration.ofSeconds(30), Duration.ofMillis(100));
        assertThat(tracker.decide(T0, false)).isInstanceOf(Restart.class);
        assertThat(tracker.decide(T0.plusSeconds(1), false))
                .isEqualTo(new GiveUp("gave up: 1 restart within 30s (maxRestarts 1)"));
    }

    @Test
    void zeroMaxRestartsGivesUpAtOnce() {
        RestartTracker tracker = tracker(Policy.ON_FAILURE, 0, Duration.ofSeconds(60), Duration.ofMillis(100));
        assertThat(tracker.decide(T0, true)).isInstanceOf(GiveUp.class);
    }

    @Test
    void restartsOlderThanTheWindowNoLongerCountAndTheBackoffStartsOver() {
        RestartTracker tracker = tracker(Policy.ON_FAILURE, 2, Duration.ofSeconds(10), Duration.ofMillis(100));
        assertThat(tracker.decide(T0, true)).isEqualTo(new Restart(1, Duration.ofMillis(100)));
        assertThat(tracker.decide(T0.plusSeconds(5), true)).isEqualTo(new Restart(2, Duration.ofMillis(200)));
        // 11 s after the first: only the second is still in the window
        assertThat(tracker.decide(T0.plusSeconds(11), true)).isEqualTo(new Restart(2, Duration.ofMillis(200)));
        // a quiet period longer than the window: a fresh start
        assertThat(tracker.decide(T0.plusSeconds(60), true)).isEqualTo(new Restart(1, Duration.ofMillis(100)));
    }

    @Test
    void backoffDoublesUpToTheCapAndNeverOverflows() {
        RestartTracker tracker = tracker(Policy.ALWAYS, 1000, Duration.ofHours(1), Duration.ofSeconds(1));
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            delays.add(((Restart) tracker.decide(T0.plusMillis(i), true)).delay());
        }
        assertThat(delays.subList(0, 6)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16), RestartTracker.MAX_BACKOFF);
        assertThat(delays.subList(5, 100)).containsOnly(RestartTracker.MAX_BACKOFF);
        assertThat(RestartTracker.MAX_BACKOFF).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aBackoffAboveTheCapIsCappedFromTheFirstRestart() {
        RestartTracker tracker = tracker(Policy.ALWAYS, 5, Duration.ofMinutes(5), Duration.ofMinutes(1));
        assertThat(tracker.decide(T0, true)).isEqualTo(new Restart(1, RestartTracker.MAX_BACKOFF));
    }
}
