package org.slt4j.report;

import java.time.Instant;
import java.util.Objects;

/**
 * A scheduled diagnostic that was not run.
 *
 * @param iteration  the scheduled iteration
 * @param epoch      its epoch
 * @param timestamp  when it was skipped
 * @param diagnostic what was skipped
 * @param reason     why
 * @param detail     numbers behind the decision, human-readable (may be empty)
 */
public record SkipRecord(long iteration, int epoch, Instant timestamp, Diagnostic diagnostic, Reason reason,
                         String detail) implements TrainingRecord {

    /** Why a scheduled diagnostic was skipped. */
    public enum Reason {
        /** Running it would have taken the diagnostics over their overhead budget. */
        OVER_BUDGET,
        /** Asynchronous mode: the bounded queue of pending diagnostics was full. */
        QUEUE_FULL
    }

    /** Checks the fields. */
    public SkipRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(diagnostic, "diagnostic");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public RecordType type() {
        return RecordType.SKIP;
    }
}
