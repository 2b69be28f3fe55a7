package org.slt4j.listener;

import java.util.Objects;
import com.google.common.base.Preconditions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.storage.StatsStorageSink;

/**
 * The settings every slt4j listener has, captured and checked at {@code build()}, and the builder that collects
 * them (the base of each listener's {@code Builder}). Immutable once built.
 */
final class ListenerSettings {
    final List<DiagnosticsSink> sinks;
    final StatsStorageRouter router;
    final String sessionId;
    final String workerId;
    final boolean async;
    final int maxPending;
    final double overheadBudget;
    final boolean failOnError;
    final Schedule lossSchedule;
    final Clock clock;
    final boolean keepHistory;
    final long trainingSetSize;

    private ListenerSettings(Builder<?> b, long trainingSetSize) {
        this.sinks = List.copyOf(b.sinks);
        this.router = b.router;
        this.sessionId = b.sessionId;
        this.workerId = b.workerId;
        this.async = b.async;
        this.maxPending = b.maxPending;
        this.overheadBudget = b.overheadBudget;
        this.failOnError = b.failOnError;
        this.lossSchedule = b.lossSchedule;
        this.clock = b.clock;
        this.keepHistory = b.keepHistory;
        this.trainingSetSize = trainingSetSize;
    }

    /**
     * The settings every slt4j listener has; {@link LlcListener.Builder}, {@link SymmetryListener.Builder} and
     * {@link SltListener.Builder} add their diagnostics' settings. Not thread-safe; validated at {@code build()}.
     *
     * @param <B> the concrete builder
     */
    abstract static class Builder<B extends Builder<B>> {
        private final List<DiagnosticsSink> sinks = new ArrayList<>();
        private StatsStorageRouter router;
        private String sessionId;
        private String workerId;
        private boolean async;
        private int maxPending = 2;
        private double overheadBudget = 0.1;
        private boolean failOnError;
        private Schedule lossSchedule = Schedule.everyNIterations(1);
        private Clock clock = Clock.systemUTC();
        private boolean keepHistory = true;

        Builder() {
        }

        abstract B self();

        /**
         * Adds a sink; every record goes to every sink, in the order added. {@link DiagnosticsListener#close()}
         * closes them.
         */
        public B sink(DiagnosticsSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return self();
        }

        /**
         * Posts the records to a DL4J StatsStorage (or remote UI router) too, through a {@link StatsStorageSink}
         * with its default bounds: the loss and metrics are posted in batches, at most a second late; every
         * epoch's end, {@link DiagnosticsListener#awaitCompletion()} and {@link DiagnosticsListener#close()} post
         * the rest.
         */
        public B statsStorage(StatsStorageRouter router) {
            this.router = Objects.requireNonNull(router, "router");
            return self();
        }

        /** The session ID of the run (default: a random UUID). */
        public B sessionId(String sessionId) {
            this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
            return self();
        }

        /** The worker ID of the run (default: {@code worker-} and 8 random hex digits). */
        public B workerId(String workerId) {
            this.workerId = Objects.requireNonNull(workerId, "workerId");
            return self();
        }

        /**
         * Runs diagnostics on a background thread, on a snapshot of the parameters taken at the scheduled
         * iteration (default false: run inside the training callback).
         */
        public B async(boolean async) {
            this.async = async;
            return self();
        }

        /**
         * Asynchronous mode: how many diagnostics may be queued or running at once (default 2); one scheduled
         * beyond that is skipped and recorded.
         */
        public B maxPending(int maxPending) {
            this.maxPending = maxPending;
            return self();
        }

        /**
         * The largest fraction of training wall time the diagnostics may take (default 0.1;
         * {@code Double.POSITIVE_INFINITY}: no limit). Each diagnostic has a share of the budget: all of it in a
         * single-diagnostic listener; in {@link SltListener} the symmetry scans get 20% and the LLC estimates 80%,
         * so costly estimates cannot starve the scans. Rule: with {@code elapsed} the wall time since the first
         * training callback and {@code spent} the time this diagnostic took so far (its snapshots on the training
         * thread, plus its run time, times its threads when it ran in the background, including the time so far of
         * a background run still in progress), a scheduled diagnostic runs iff
         * {@code spent + predicted <= budget * share * (elapsed + (sync ? predicted : 0))}, where {@code predicted} is the
         * run time of its previous run, or the time its first run has taken so far while that is still running.
         * Before the first LLC estimate, {@code predicted} is a lower bound of its cost, measured on the training
         * thread once: the fewest SGLD steps it can take (its calibration's included, see
         * {@link org.slt4j.llc.LlcEstimator#fewestSteps()}) times a timed SGLD step
         * ({@link org.slt4j.llc.LlcEstimator#stepTime}), so a costly first estimate waits until training has run long
         * enough to pay for at least that; its real cost is often several times more. Symmetry scans predict
         * nothing (0) before their first run, which therefore always runs. A diagnostic that does not fit is skipped
         * and recorded with reason {@code OVER_BUDGET}, with the numbers (and, before its first run, what it was
         * predicted from). A run that is allowed may take at most what the budget still allows when it starts (the
         * largest run time that keeps the rule true as training goes on): an LLC calibration or estimate stops
         * there, flagged and marked not reproducible, and the next one is predicted at twice the time it had; a
         * symmetry scan is never cut.
         */
        public B overheadBudget(double fraction) {
            this.overheadBudget = fraction;
            return self();
        }

        /** Makes a failing diagnostic or sink fatal to training instead of recorded (default false). */
        public B failOnError(boolean failOnError) {
            this.failOnError = failOnError;
            return self();
        }

        /** When the loss is recorded (default: every iteration; {@link Schedule#never()} turns it off). */
        public B lossSchedule(Schedule schedule) {
            this.lossSchedule = Objects.requireNonNull(schedule, "lossSchedule");
            return self();
        }

        /** Keeps every record in memory for {@link DiagnosticsListener#history()} (default true). */
        public B keepHistory(boolean keepHistory) {
            this.keepHistory = keepHistory;
            return self();
        }

        /** The clock for timestamps and the overhead budget (default: the system clock, UTC). */
        public B clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return self();
        }

        /** Checks the shared settings and captures them. */
        ListenerSettings settings(long trainingSetSize) {
            Preconditions.checkArgument(maxPending >= 1, "maxPending must be >= 1 (got: %s)", maxPending);
            Preconditions.checkArgument(overheadBudget > 0, "overheadBudget must be > 0 (got: %s)", overheadBudget);
            return new ListenerSettings(this, trainingSetSize);
        }
    }
}
