package org.slt4j.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The largest fraction of training wall time the diagnostics may take (see
 * {@link DiagnosticsListener.Builder#overheadBudget(double)} for the rule). Thread-safe.
 */
final class OverheadBudget {
    private final double fraction;
    private final Clock clock;
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
     * Whether a diagnostic predicted to cost {@code predicted} may run now.
     *
     * @param blocking whether it runs on the training thread (then it also lengthens training)
     */
    synchronized boolean allows(Duration predicted, boolean blocking) {
        if (Double.isInfinite(fraction)) {
            return true;
        }
        double elapsed = Duration.between(start, clock.instant()).toNanos() + (blocking ? predicted.toNanos() : 0);
        return spentNanos + predicted.toNanos() <= fraction * elapsed;
    }

    synchronized void spend(Duration cost) {
        spentNanos += cost.toNanos();
    }

    /** Why a diagnostic was not allowed, with the numbers. */
    synchronized String describe(Duration predicted) {
        double elapsed = Duration.between(start, clock.instant()).toNanos() / 1e9;
        return String.format("spent %.3f s + predicted %.3f s > budget %.3f x %.3f s elapsed", spentNanos / 1e9,
                predicted.toNanos() / 1e9, fraction, elapsed);
    }
}
