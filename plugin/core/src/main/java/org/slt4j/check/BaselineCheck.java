package org.slt4j.check;

import static org.slt4j.report.Format.num;

import java.util.List;
import java.util.Locale;
import org.slt4j.report.Format;

/**
 * The outcome of checking a run against a {@link RunBaseline}: every metric with its expected and found value,
 * the change, the change allowed and whether it regressed. Immutable.
 */
public final class BaselineCheck {
    private final List<MetricResult> results;

    BaselineCheck(List<MetricResult> results) {
        this.results = List.copyOf(results);
    }

    /**
     * One metric's comparison.
     *
     * @param metric        the metric's name
     * @param expected      the baseline's value
     * @param expectedError the baseline's standard error (0 when it has none)
     * @param found         the run's value
     * @param foundError    the run's standard error (0 when it has none)
     * @param iteration     the iteration the found value was taken at (for a rank metric without {@code @ITERATION}:
     *                      the last scan that computed the layer's spectrum)
     * @param allowed       the largest change that is not a regression: max(k combined standard errors,
     *                      relative/absolute tolerance)
     * @param regressed     whether the change is beyond both the standard-error and the relative tolerance, or the
     *                      found value is not finite
     */
    public record MetricResult(String metric, double expected, double expectedError, double found, double foundError,
                               long iteration, double allowed, boolean regressed) {

        /** found - expected. */
        public double change() {
            return found - expected;
        }

        /**
         * One line for failure messages, e.g. {@code llc: expected 4 ± 0.25, found 7 ± 0.25 at iteration 10
         * (change +3, allowed 1.061)}.
         */
        public String describe() {
            return metric + ": expected " + Format.withError(expected, expectedError) + ", found "
                    + Format.withError(found, foundError) + " at iteration " + iteration + " (change "
                    + signed(change()) + ", allowed " + num(allowed) + ")";
        }
    }

    /** Every metric of the baseline, in the baseline's order. */
    public List<MetricResult> results() {
        return results;
    }

    /** The metrics that regressed. */
    public List<MetricResult> regressions() {
        return results.stream().filter(MetricResult::regressed).toList();
    }

    /** Whether no metric regressed. */
    public boolean holds() {
        return regressions().isEmpty();
    }

    /** A fixed-width table of every metric (what moved is marked REGRESSED), one line per metric. */
    public String table() {
        int width = Math.max(6, results.stream().mapToInt(r -> r.metric().length()).max().orElse(0));
        String format = "%-" + width + "s  %-19s  %-19s  %-10s  %-10s  %s%n";
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, format, "metric", "expected", "found",
                "change", "allowed", "status"));
        for (MetricResult r : results) {
            s.append(String.format(Locale.ROOT, format, r.metric(), Format.withError(r.expected(), r.expectedError()),
                    Format.withError(r.found(), r.foundError()), signed(r.change()), num(r.allowed()),
                    r.regressed() ? "REGRESSED" : "ok"));
        }
        return s.toString();
    }

    private static String signed(double change) {
        return Double.isNaN(change) ? "n/a" : (change > 0 ? "+" : "") + num(change);
    }

    @Override
    public String toString() {
        return "BaselineCheck{" + (holds() ? "holds" : regressions().size() + " regressed") + ", " + results.size()
                + " metrics}";
    }
}
