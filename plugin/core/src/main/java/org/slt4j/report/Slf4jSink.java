package org.slt4j.report;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slt4j.llc.LlcEstimate;

/**
 * Logs records through SLF4J, one line each: LLC estimates, symmetry scans, events, failures and the header at
 * INFO; the per-iteration loss and skipped diagnostics at DEBUG (they are frequent). Failures are logged at
 * INFO, not WARN: the listeners already warn once per failing diagnostic.
 */
public final class Slf4jSink implements DiagnosticsSink {
    private final Logger log;

    /** A sink logging to the {@code org.slt4j.report.Slf4jSink} logger. */
    public Slf4jSink() {
        this(LoggerFactory.getLogger(Slf4jSink.class));
    }

    /** A sink logging to the given logger. */
    public Slf4jSink(Logger log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void write(DiagnosticRecord record) {
        if (record instanceof LossRecord l) {
            log.debug("iteration {} epoch {}: data loss {}, score {}", l.iteration(), l.epoch(), l.dataLoss(), l.score());
        } else if (record instanceof MetricRecord m) {
            log.debug("iteration {} epoch {}: {} = {}", m.iteration(), m.epoch(), m.name(), m.value());
        } else if (record instanceof SkipRecord s) {
            log.debug("iteration {}: {} skipped ({}): {}", s.iteration(), s.diagnostic(), s.reason(), s.detail());
        } else if (log.isInfoEnabled()) {
            log.info(describe(record));
        }
    }

    private static String describe(DiagnosticRecord record) {
        if (record instanceof RunHeader h) {
            return String.format("slt4j run %s (worker %s): %s with %d parameters, n=%d, %s", h.sessionId(),
                    h.workerId(), h.modelType(), h.parameters(), h.trainingSetSize(), h.settings());
        }
        if (record instanceof LlcRecord l) {
            LlcEstimate e = l.estimate();
            return String.format("iteration %d: LLC %.4g +- %.2g (%d chains, %d diverged, R-hat %.3f, %.2f s)%s",
                    l.iteration(), e.mean(), e.standardError(), e.chains().size(), e.divergedChains(), e.rHat(),
                    e.wallTime().toNanos() / 1e9, e.warnings().isEmpty() ? "" : " " + e.warnings());
        }
        if (record instanceof SymmetryRecord s) {
            return String.format("iteration %d: symmetry k=%d of d=%d, LLC <= %.1f, effective width %d (%.0f ms)",
                    s.iteration(), s.snapshot().removableDirections(), s.snapshot().totalParameters(),
                    s.snapshot().llcUpperBound(), s.snapshot().totalEffectiveWidth(), s.wallTime().toNanos() / 1e6);
        }
        if (record instanceof EventRecord e) {
            return "symmetry event " + e.event().description();
        }
        FailureRecord f = (FailureRecord) record;
        return String.format("iteration %d: %s failed: %s: %s", f.iteration(), f.diagnostic(), f.error(),
                f.message());
    }

    @Override
    public String toString() {
        return "Slf4jSink(" + log.getName() + ")";
    }
}
