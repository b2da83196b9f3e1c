package io.servicescluster.core.manager;

import java.time.InstantSource;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything the decision loop takes from the world, so that the same loop runs against real
 * processes ({@link ServicesManager}) and against simulated ones, in virtual time, from a seed
 * (the simulation tests). Containers come with the nodes ({@link ServiceNode#container}).
 *
 * @param clock the time of events and of the restart policy's window
 * @param loop runs the loop's tasks one at a time, in order: the one thread that decides
 * @param work runs slow work (making, launching and destroying containers); its results are
 *     posted back to the loop
 * @param timers start, close and backoff timeouts
 * @param sessions opens the manager's side of each launched remote
 * @param capabilityKeys a fresh secret per start, from which dependents' capabilities derive (R15)
 * @param listeners where events, output and exceptions go, off the loop
 * @param failures told of a bug: an input the loop could not apply (an illegal transition); the
 *     loop logs it and goes on, a simulation fails the seed
 */
record LoopPorts(InstantSource clock, Executor loop, Executor work, Timers timers, ControlSession.Opener sessions,
        Supplier<String> capabilityKeys, ListenerDispatch listeners, Consumer<RuntimeException> failures) {
}
