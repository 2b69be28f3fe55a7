package org.slt4j.report;

import java.time.Instant;
import java.util.Objects;

/**
 * A diagnostic that failed (threw, or produced NaN) at a scheduled iteration; training went on.
 *
 * @param iteration  the scheduled iteration
 * @param epoch      its epoch
 * @param timestamp  when the failure was recorded
 * @param diagnostic what failed
 * @param error      the exception's class name, or {@code "NaN"} for a non-finite result
 * @param message    what went wrong, human-readable (may be empty)
 */
public record FailureRecord(long iteration, int epoch, Instant timestamp, Diagnostic diagnostic, String error,
                            String message) implements TrainingRecord {

    /** Checks the fields. */
    public FailureRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(diagnostic, "diagnostic");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public RecordType type() {
        return RecordType.FAILURE;
    }
}
