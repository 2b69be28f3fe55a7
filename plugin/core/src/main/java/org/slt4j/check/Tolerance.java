package org.slt4j.check;

import java.util.Locale;
import org.slt4j.report.Format;

/**
 * How far a measured value may move from its expected value before it counts as a regression. A change is a
 * regression only when it is beyond {@code k} combined standard errors <em>and</em> beyond the relative (or, if
 * larger, the absolute) tolerance: the first condition keeps sampling noise from failing builds, the second keeps
 * tiny but statistically significant drifts (long chains, deterministic metrics) from doing so. Immutable.
 *
 * <p>The combined standard error of a comparison is {@code sqrt(se_expected^2 + se_found^2)}: both the baseline
 * and the new run are estimates. Metrics without uncertainty (symmetry metrics, loss) have a standard error of 0,
 * so for them only the relative/absolute tolerance matters.
 */
public final class Tolerance {
    private final double standardErrors;
    private final double relative;
    private final double absolute;

    private Tolerance(double standardErrors, double relative, double absolute) {
        check(standardErrors, "standardErrors (k)");
        check(relative, "relative");
        check(absolute, "absolute");
        this.standardErrors = standardErrors;
        this.relative = relative;
        this.absolute = absolute;
    }

    /**
     * @param standardErrors k, the number of combined standard errors a change must exceed, finite and &gt;= 0
     * @param relative       the fraction of the expected value's magnitude a change must exceed, finite and &gt;= 0
     * @throws IllegalArgumentException naming the invalid value
     */
    public static Tolerance of(double standardErrors, double relative) {
        return new Tolerance(standardErrors, relative, 0);
    }

    /** The default for baselines: 3 standard errors and 10%. */
    public static Tolerance defaults() {
        return of(3, 0.1);
    }

    /**
     * This tolerance with a floor for the relative one, for metrics whose expected value can be 0 (a dead
     * fraction of 0, for example, tolerates no change at all without it).
     *
     * @param absolute the smallest change that can count as a regression, finite and &gt;= 0
     */
    public Tolerance withAbsolute(double absolute) {
        return new Tolerance(standardErrors, relative, absolute);
    }

    /** k: the number of combined standard errors a change must exceed to be a regression. */
    public double standardErrors() {
        return standardErrors;
    }

    /** The fraction of |expected| a change must exceed to be a regression. */
    public double relative() {
        return relative;
    }

    /** The absolute floor of the relative tolerance. */
    public double absolute() {
        return absolute;
    }

    /** The change allowed by the relative/absolute tolerance for this expected value: max(relative |e|, absolute). */
    public double allowedChange(double expected) {
        return Math.max(relative * Math.abs(expected), absolute);
    }

    /**
     * Whether a found value regressed from the expected one. A non-finite found value always does.
     *
     * @param combinedStandardError sqrt(se_expected^2 + se_found^2), 0 when unknown
     */
    public boolean isRegression(double expected, double found, double combinedStandardError) {
        if (!Double.isFinite(found)) {
            return true;
        }
        double change = Math.abs(found - expected);
        return change > standardErrors * combinedStandardError && change > allowedChange(expected);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tolerance t && Double.compare(standardErrors, t.standardErrors) == 0
                && Double.compare(relative, t.relative) == 0 && Double.compare(absolute, t.absolute) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(standardErrors) * 961 + Double.hashCode(relative) * 31 + Double.hashCode(absolute);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s standard errors and %s%%%s", Format.num(standardErrors),
                Format.num(100 * relative), absolute > 0 ? " (at least " + Format.num(absolute) + ")" : "");
    }

    private static void check(double value, String name) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(name + " tolerance must be finite and >= 0 (got: " + value + ")");
        }
    }
}
