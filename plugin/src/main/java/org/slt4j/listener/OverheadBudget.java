package org.slt4j.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The largest fraction of training wall time the diagnostics may take (see
 * {@link DiagnosticsListener.Builder#overheadBudget(double)} for the rule). Thread-safe.
 */
final class OverheadBudget {
    private final double fraction;
    private final Clock clock;
    private final Map<Task, Duration> lastCost = new HashMap<>();
    private final Map<Task, Instant> runningSince = new HashMap<>();
    private Instant start;
    private long spentNanos;

    OverheadBudget(double fraction, Clock clock) {
        this.fraction = fraction;
        this.clock = clock;
    }

    synchronized void start() {
        if (start == null) {
            start = clock.instant();
        }
    }

    /**
     * Whether the task may run now.
     *
     * @param blocking whether it runs on the training thread (then it also lengthens training)
     */
    synchronized boolean allows(Task task, boolean blocking) {
        if (Double.isInfinite(fraction)) {
            return true;
        }
        long predicted = predictedNanos(task);
        double elapsed = Duration.between(start, clock.instant()).toNanos() + (blocking ? predicted : 0);
        return spentNanos() + predicted <= fraction * elapsed;
    }

    /** A background run of the task started (its time so far counts as spent until it ends). */
    synchronized void began(Task task) {
        runningSince.put(task, clock.instant());
    }

    /** A run of the task ended (or ran on the training thread) after {@code cost}, keeping {@code threads} busy. */
    synchronized void ended(Task task, Duration cost, int threads) {
        runningSince.remove(task);
        lastCost.put(task, cost);
        spentNanos += cost.toNanos() * threads;
    }

    /** Time spent on the training thread outside a task's run (snapshots). */
    synchronized void spend(Duration cost) {
        spentNanos += cost.toNanos();
    }

    /** Why a task was not allowed, with the numbers. */
    synchronized String describe(Task task) {
        double elapsed = Duration.between(start, clock.instant()).toNanos() / 1e9;
        return String.format("spent %.3f s + predicted %.3f s > budget %.3f x %.3f s elapsed", spentNanos() / 1e9,
                predictedNanos(task) / 1e9, fraction, elapsed);
    }

    private long predictedNanos(Task task) {
        long previous = lastCost.getOrDefault(task, Duration.ZERO).toNanos();
        Instant since = runningSince.get(task);
        return since == null ? previous : Math.max(previous, Duration.between(since, clock.instant()).toNanos());
    }

    private long spentNanos() {
        long running = 0;
        Instant now = clock.instant();
        for (Map.Entry<Task, Instant> e : runningSince.entrySet()) {
            running += Duration.between(e.getValue(), now).toNanos() * e.getKey().threads();
        }
        return spentNanos + running;
    }
}
