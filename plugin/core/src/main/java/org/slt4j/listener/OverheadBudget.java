package org.slt4j.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slt4j.report.Diagnostic;

/**
 * The largest fraction of training wall time the diagnostics may take (see
 * {@code overheadBudget(double)} on a listener builder for the rule). Thread-safe.
 */
final class OverheadBudget {
    /**
     * The symmetry scans' share of a budget shared with the LLC: scans are cheap but frequent, an LLC estimate is
     * costly and rare; without shares the estimates used the whole budget and starved the scans.
     */
    static final double SYMMETRY_SHARE = 0.2;
    /** The least time a run is allowed (a run that is allowed at all gets at least this). */
    static final Duration MIN_ALLOWANCE = Duration.ofMillis(1);

    private final double fraction;
    private final Clock clock;
    private final Map<Task, Double> shares;
    private final Map<Task, Duration> lastCost = new HashMap<>();
    /** Before a task's first run ends: the lower bound of its cost it gave ({@link Task#leastFirstRunCost}). */
    private final Map<Task, Task.Cost> firstRunCost = new HashMap<>();
    private final Map<Task, Instant> runningSince = new HashMap<>();
    private final Map<Task, Long> spent = new HashMap<>();
    private Instant start;

    OverheadBudget(double fraction, Clock clock, List<Task> tasks) {
        this.fraction = fraction;
        this.clock = clock;
        this.shares = shares(tasks);
    }

    /** The whole budget for one diagnostic; with the symmetry scans among several, they get SYMMETRY_SHARE. */
    private static Map<Task, Double> shares(List<Task> tasks) {
        Map<Task, Double> shares = new HashMap<>();
        long scans = tasks.stream().filter(t -> t.kind() == Diagnostic.SYMMETRY).count();
        boolean split = scans > 0 && scans < tasks.size();
        for (Task task : tasks) {
            double share = !split ? 1.0 / tasks.size()
                    : task.kind() == Diagnostic.SYMMETRY ? SYMMETRY_SHARE / scans
                    : (1 - SYMMETRY_SHARE) / (tasks.size() - scans);
            shares.put(task, share);
        }
        return shares;
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
        return spentNanos(task) + predicted <= shares.get(task) * fraction * elapsed;
    }

    /** Whether the budget is limited and has nothing yet to predict the task's cost from. */
    synchronized boolean needsFirstRunCost(Task task) {
        return !Double.isInfinite(fraction) && !lastCost.containsKey(task) && !firstRunCost.containsKey(task);
    }

    /** The prediction of the task's first run, until that run ends. */
    synchronized void firstRunCost(Task task, Task.Cost cost) {
        firstRunCost.put(task, cost);
    }

    /** A background run of the task started (its time so far counts as spent until it ends). */
    synchronized void began(Task task) {
        runningSince.put(task, clock.instant());
    }

    /**
     * How long a run of the task that starts now may take and keep within the budget, or empty when the budget sets
     * no limit: the largest c with {@code spent + c x threads <= budget x share x (elapsed + c)}, where training goes
     * on for the c seconds (it waits for a run on its own thread, with threads = 1). At least a millisecond. Empty
     * too for a first run with nothing to predict it from, which runs as it would without a budget.
     *
     * @param threads 1 on the training thread, the task's threads in the background
     */
    synchronized Optional<Duration> allowance(Task task, int threads) {
        double rate = shares.get(task) * fraction;
        boolean unpredicted = !lastCost.containsKey(task)
                && firstRunCost.getOrDefault(task, Task.Cost.UNKNOWN).wallTime().isZero();
        if (Double.isInfinite(fraction) || rate >= threads || unpredicted) {
            return Optional.empty();
        }
        double elapsed = Duration.between(start, clock.instant()).toNanos();
        double left = (rate * elapsed - spentNanos(task)) / (threads - rate);
        return Optional.of(Duration.ofNanos((long) Math.max(left, MIN_ALLOWANCE.toNanos())));
    }

    /**
     * A run of the task ended (or ran on the training thread) after {@code cost}, keeping {@code threads} busy. A run
     * its allowance cut short predicts the next at twice its cost: the next then waits until the budget allows a
     * longer run, so that a diagnostic that needs more time than one allowance gets it in a few doublings instead of
     * being cut short at every run.
     */
    synchronized void ended(Task task, Duration cost, int threads, boolean cut) {
        runningSince.remove(task);
        lastCost.put(task, cut ? cost.multipliedBy(2) : cost);
        spent.merge(task, cost.toNanos() * threads, Long::sum);
    }

    /** Time the task spent on the training thread outside its run (its snapshot). */
    synchronized void spend(Task task, Duration cost) {
        spent.merge(task, cost.toNanos(), Long::sum);
    }

    /** Why a task was not allowed, with the numbers. */
    synchronized String describe(Task task) {
        double elapsed = Duration.between(start, clock.instant()).toNanos() / 1e9;
        Task.Cost first = firstRunCost.get(task);
        return String.format("spent %.3f s + predicted %.3f s > budget %.3f x share %.2f x %.3f s elapsed%s",
                spentNanos(task) / 1e9, predictedNanos(task) / 1e9, fraction, shares.get(task), elapsed,
                lastCost.containsKey(task) || first == null ? "" : " (predicted from " + first.basis() + ")");
    }

    private long predictedNanos(Task task) {
        Duration first = firstRunCost.getOrDefault(task, Task.Cost.UNKNOWN).wallTime();
        long previous = lastCost.getOrDefault(task, first).toNanos();
        Instant since = runningSince.get(task);
        return since == null ? previous : Math.max(previous, Duration.between(since, clock.instant()).toNanos());
    }

    private long spentNanos(Task task) {
        Instant since = runningSince.get(task);
        long running = since == null ? 0 : Duration.between(since, clock.instant()).toNanos() * task.threads();
        return spent.getOrDefault(task, 0L) + running;
    }
}
