package org.slt4j.llc;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of an {@link LlcCalibrator} sweep: every setting tried with its diagnostics, the recommended
 * configuration (if any setting qualified) and why. Immutable.
 */
public final class Calibration {
    private final List<Row> rows;
    private final LlcConfig recommended;
    private final LlcConfig fallback;
    private final String reason;
    private final Duration wallTime;
    private final long totalSteps;

    Calibration(List<Row> rows, LlcConfig recommended, LlcConfig fallback, String reason, Duration wallTime,
            long totalSteps) {
        this.rows = List.copyOf(rows);
        this.recommended = recommended;
        this.fallback = fallback;
        this.reason = reason;
        this.wallTime = wallTime;
        this.totalSteps = totalSteps;
    }

    /** Wall-clock time of the whole sweep: the cost of calibrating. */
    public Duration wallTime() {
        return wallTime;
    }

    /** SGLD steps taken over all settings and chains. */
    public long totalSteps() {
        return totalSteps;
    }

    /** Every setting tried, in the order tried. */
    public List<Row> rows() {
        return rows;
    }

    /** The base configuration with the recommended step size and localization; empty if none qualified. */
    public Optional<LlcConfig> recommended() {
        return Optional.ofNullable(recommended);
    }

    /**
     * The configuration to sample with: the recommendation, or, when no setting qualified, the calibrator's
     * fallback (see {@link LlcCalibrator}; estimates made with it are flagged unreliable).
     */
    public LlcConfig chosen() {
        return recommended != null ? recommended : fallback;
    }

    /** Why this recommendation (or why none). */
    public String reason() {
        return reason;
    }

    /** A readable table of every setting tried, then the recommendation. */
    public String table() {
        StringBuilder out = new StringBuilder(String.format("%-10s %-10s %10s %9s %8s %7s %8s %6s  %s%n",
                "stepSize", "gamma", "llc", "stderr", "diverged", "rHat", "below", "load", "verdict"));
        for (Row row : rows) {
            out.append(String.format("%-10.3g %-10.3g %10.4g %9.3g %8d %7.3f %8.3f %6.2f  %s%n", row.stepSize(),
                    row.localization(), row.llc(), row.standardError(), row.divergedChains(), row.rHat(),
                    row.fractionBelowBaseline(), row.stepLoad(), row.verdict()));
        }
        out.append(recommended == null ? "no recommendation: " : String.format(
                "recommended: stepSize %.3g, localization %.3g: ", recommended.stepSize().getAsDouble(),
                recommended.localization().getAsDouble())).append(reason).append(System.lineSeparator())
                .append(String.format("calibration: %d SGLD steps in %.1f s%n", totalSteps,
                        wallTime.toMillis() / 1000.0));
        return out.toString();
    }

    @Override
    public String toString() {
        return table();
    }

    /**
     * One setting of the sweep and its diagnostics.
     *
     * @param stepLoad the step size's load where the setting's chains ended ({@link LlcEstimate.Tuning#stepLoad()})
     * @param stable   whether the setting ran without divergence, reached a positive, stationary estimate at its
     *                 target standard error with R-hat in bounds (its load is judged separately)
     */
    public record Row(double stepSize, double localization, double llc, double standardError, int divergedChains,
            double rHat, double fractionBelowBaseline, double stepLoad, boolean stable, String verdict) {

        /** The row as it would be reported for an estimate at this setting. */
        static Row of(double stepSize, double localization, LlcEstimate estimate, boolean stable, String verdict) {
            return new Row(stepSize, localization, estimate.mean(), estimate.standardError(),
                    estimate.divergedChains(), estimate.rHat(), estimate.fractionBelowBaseline(),
                    estimate.tuning().stepLoad(), stable, verdict);
        }
    }
}
