package org.slt4j.listener;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.FailureRecord;

/**
 * What happens when a diagnostic or a sink fails (the contract documented on {@link DiagnosticsListener}): the
 * first failure of each source is logged at WARN, later ones at DEBUG; each is recorded as a {@link FailureRecord};
 * training goes on unless {@code failOnError} is set. Then the failure is thrown as an
 * {@link IllegalStateException} on the training thread, or kept for {@link #throwIfFatal()} when it happened on the
 * background thread. Thread-safe.
 */
final class FailurePolicy {
    // Logged under the public class's name: that is the logger users configure.
    private static final Logger log = LoggerFactory.getLogger(DiagnosticsListener.class);

    private final Clock clock;
    private final boolean failOnError;
    private final BooleanSupplier onBackgroundThread;
    private final Set<Object> warned = ConcurrentHashMap.newKeySet();
    private volatile RuntimeException fatal;

    /**
     * @param onBackgroundThread whether the calling thread is the listener's background thread, where a fatal
     *                           failure must be kept rather than thrown
     */
    FailurePolicy(Clock clock, boolean failOnError, BooleanSupplier onBackgroundThread) {
        this.clock = clock;
        this.failOnError = failOnError;
        this.onBackgroundThread = onBackgroundThread;
    }

    /** An exception for a NaN result of a diagnostic, recorded with error "NaN". */
    static RuntimeException nonFinite(String message) {
        return new NonFiniteResult(message);
    }

    /**
     * A diagnostic failed: logs, records the failure through {@code record}, then throws or keeps it if fatal.
     */
    void diagnosticFailed(Task source, long iteration, int epoch, RuntimeException e,
            Consumer<? super FailureRecord> record) {
        String error = e instanceof NonFiniteResult ? "NaN" : e.getClass().getName();
        String message = Objects.toString(e.getMessage(), "");
        String what = source.kind() + " diagnostic";
        if (warned.add(source)) {
            log.warn("slt4j: {} failed at iteration {} (training goes on; later failures of it are recorded, "
                    + "logged at DEBUG): {}", what, iteration, e.toString(), e);
        } else {
            log.debug("slt4j: {} failed at iteration {}: {}", what, iteration, e.toString());
        }
        record.accept(new FailureRecord(iteration, epoch, clock.instant(), source.kind(), error, message));
        if (failOnError) {
            fail(new IllegalStateException(what + " failed at iteration " + iteration + " (failOnError is true)", e));
        }
    }

    /**
     * A sink failed writing {@code record}: logs, records the failure through {@code recordElsewhere} (the other
     * sinks), then throws or keeps it if fatal.
     *
     * @param record    the record; null when the sink failed to hand over the records it held back
     * @param iteration the iteration the failure is stamped with
     * @param epoch     the epoch the failure is stamped with
     */
    void sinkFailed(DiagnosticsSink failing, DiagnosticRecord record, RuntimeException e, long iteration, int epoch,
            Consumer<? super FailureRecord> recordElsewhere) {
        if (warned.add(failing)) {
            log.warn("slt4j: sink {} failed {} (training goes on; later failures of this sink are recorded, logged "
                    + "at DEBUG): {}", failing, record == null ? "to hand over held-back records"
                    : "writing a " + record.type() + " record", e.toString(), e);
        } else {
            log.debug("slt4j: sink {} failed: {}", failing, e.toString());
        }
        recordElsewhere.accept(new FailureRecord(iteration, epoch, clock.instant(), Diagnostic.SINK,
                e.getClass().getName(), failing + ": " + Objects.toString(e.getMessage(), "")));
        if (failOnError) {
            fail(new IllegalStateException("sink " + failing + " failed (failOnError is true)", e));
        }
    }

    /** Throws, once, a fatal failure kept from the background thread. */
    void throwIfFatal() {
        RuntimeException f = fatal;
        if (f != null) {
            fatal = null;
            throw f;
        }
    }

    /** Throws on the training thread; on the background thread, keeps the error for the next callback. */
    private void fail(IllegalStateException error) {
        if (onBackgroundThread.getAsBoolean()) {
            fatal = fatal == null ? error : fatal;
        } else {
            throw error;
        }
    }

    /** A NaN result, recorded with error "NaN". */
    private static final class NonFiniteResult extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFiniteResult(String message) {
            super(message, null, false, false);
        }
    }
}
