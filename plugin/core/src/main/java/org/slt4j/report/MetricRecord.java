package org.slt4j.report;

import com.google.common.base.Preconditions;
import java.time.Instant;
import java.util.Objects;

/**
 * A scalar the user records beside the diagnostics at one iteration: test accuracy, test loss, F1, anything
 * (see {@code DiagnosticsListener.metric}). Baselines and {@code slt4j check} name it {@code metric:NAME}.
 *
 * @param iteration the iteration whose parameters the value describes
 * @param epoch     the epoch
 * @param timestamp when it was recorded
 * @param name      the metric's name: not blank, without {@code @} (which separates an iteration in a baseline's
 *                  metric name) and without control characters; any other text, shown escaped
 * @param value     the value; may be NaN or infinite
 */
public record MetricRecord(long iteration, int epoch, Instant timestamp, String name, double value)
        implements TrainingRecord {

    /**
     * Checks the timestamp and the name.
     *
     * @throws IllegalArgumentException if the name is blank or holds {@code @} or a control character
     */
    public MetricRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        checkName(name);
    }

    /**
     * Checks a metric name as {@link MetricRecord} requires it.
     *
     * @throws IllegalArgumentException naming the rule the name breaks
     */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "metric name");
        Preconditions.checkArgument(!name.isBlank(), "metric name must not be blank (got: \"%s\")", name);
        Preconditions.checkArgument(name.indexOf('@') < 0, "metric name must not contain '@', which separates an "
                + "iteration in baseline metric names (got: %s)", name);
        Preconditions.checkArgument(name.chars().noneMatch(Character::isISOControl),
                "metric name must not contain control characters (got: %s)", name.replaceAll("\\p{Cntrl}", "?"));
        return name;
    }

    @Override
    public RecordType type() {
        return RecordType.METRIC;
    }
}
