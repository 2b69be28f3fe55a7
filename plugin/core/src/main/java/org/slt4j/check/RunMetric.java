package org.slt4j.check;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slt4j.report.LayerMetric;
import org.slt4j.report.MetricRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.report.Series;

/**
 * A named number of a run, as baselines store it. Names: {@code llc} (the LLC estimate, with its standard
 * error), {@code loss} (the training data loss, or the score for records without one: {@link RunHistory#loss()}),
 * {@code llcUpperBound} (the symmetry bound (d - k)/2), {@code metric:NAME} (a user metric,
 * {@link RunHistory#metric(String)}) and
 * {@code LAYER/METRIC} with METRIC a {@link LayerMetric} name (e.g. {@code layer0/EFFECTIVE_WIDTH}); by default
 * the value at the run's last point, or at one iteration with the suffix {@code @ITERATION} (e.g.
 * {@code llc@500}). These are the names of {@link RunHistory}'s series.
 *
 * <p>The rank metrics ({@code NUMERICAL_RANK}, {@code EFFECTIVE_RANK}, {@code STABLE_RANK}) exist only in scans that
 * computed the layer's spectrum: with {@code spectraEvery(n > 1)} most scans skip it. Their last point is therefore
 * the last scan that computed it, and {@code @ITERATION} at a scan that did not is an error, never a NaN.
 */
final class RunMetric {
    static final String GRAMMAR = "llc, loss, llcUpperBound, metric:NAME (a user metric) or LAYER/METRIC with METRIC "
            + "one of " + Arrays.toString(LayerMetric.values()) + ", optionally followed by @ITERATION";

    /** The layer metrics that need the layer's spectrum (NaN in scans that skipped it). */
    private static final Set<LayerMetric> SPECTRAL = EnumSet.of(LayerMetric.NUMERICAL_RANK,
            LayerMetric.EFFECTIVE_RANK, LayerMetric.STABLE_RANK);
    /** The layer metrics that are fractions of the layer's units. */
    private static final Set<LayerMetric> FRACTIONS = EnumSet.of(LayerMetric.DEAD_FRACTION,
            LayerMetric.ALWAYS_ACTIVE_FRACTION, LayerMetric.DUPLICATE_FRACTION);

    private final String name;
    private final String base;
    private final String layer;
    private final LayerMetric layerMetric;
    private final long iteration;

    private RunMetric(String name, String base, String layer, LayerMetric layerMetric, long iteration) {
        this.name = name;
        this.base = base;
        this.layer = layer;
        this.layerMetric = layerMetric;
        this.iteration = iteration;
    }

    /**
     * @throws IllegalArgumentException for a name outside the grammar, naming it and the grammar
     */
    static RunMetric parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("metric name must not be blank (expected: " + GRAMMAR + ")");
        }
        String base = name;
        long iteration = -1;
        int at = name.lastIndexOf('@');
        if (at >= 0) {
            base = name.substring(0, at);
            try {
                iteration = Long.parseLong(name.substring(at + 1));
            } catch (NumberFormatException e) {
                iteration = -2;
            }
            if (iteration < 0) {
                throw unknown(name, "the iteration after @ must be an integer >= 0");
            }
        }
        if (base.equals("llc") || base.equals("loss") || base.equals("llcUpperBound")) {
            return new RunMetric(name, base, null, null, iteration);
        }
        if (base.startsWith(RunHistory.METRIC_PREFIX)) {
            try {
                MetricRecord.checkName(base.substring(RunHistory.METRIC_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw unknown(name, e.getMessage());
            }
            return new RunMetric(name, base, null, null, iteration);
        }
        int slash = base.lastIndexOf('/');
        if (slash <= 0) {
            throw unknown(name, null);
        }
        String metric = base.substring(slash + 1);
        LayerMetric layerMetric = Arrays.stream(LayerMetric.values()).filter(m -> m.name().equals(metric))
                .findFirst().orElseThrow(() -> unknown(name, "'" + metric + "' is not a layer metric"));
        return new RunMetric(name, base, base.substring(0, slash), layerMetric, iteration);
    }

    private static IllegalArgumentException unknown(String name, String why) {
        return new IllegalArgumentException("unknown metric '" + name + "'" + (why == null ? "" : ": " + why)
                + " (expected: " + GRAMMAR + ")");
    }

    String name() {
        return name;
    }

    /** Whether the metric is a fraction of a layer's units (0 when nothing happened, at most 1). */
    boolean isFraction() {
        return FRACTIONS.contains(layerMetric);
    }

    /** Whether some scan of the run computed the spectrum of the layer. */
    static boolean hasSpectrum(RunHistory run, String layer) {
        for (boolean computed : spectrumComputed(run, layer)) {
            if (computed) {
                return true;
            }
        }
        return false;
    }

    /** Per scan of the layer (in {@link RunHistory#layer} order): whether that scan computed the layer's spectrum. */
    private static boolean[] spectrumComputed(RunHistory run, String layer) {
        double[] ranks = run.layer(layer, LayerMetric.NUMERICAL_RANK).values();
        boolean[] computed = new boolean[ranks.length];
        for (int i = 0; i < ranks.length; i++) {
            computed[i] = !Double.isNaN(ranks[i]);
        }
        return computed;
    }

    /**
     * The metric's value in a run.
     *
     * @throws IllegalArgumentException when the run does not have it (no such series, layer or iteration)
     */
    Measurement measure(RunHistory run) {
        Series series = series(run);
        long[] iterations = series.iterations();
        if (iterations.length == 0) {
            throw new IllegalArgumentException("the run has no values for metric '" + name + "'"
                    + (layer == null ? "" : " (layers scanned: " + run.layerNames() + ")")
                    + (base.startsWith(RunHistory.METRIC_PREFIX) ? " (user metrics: " + run.metricNames() + ")" : ""));
        }
        boolean[] usable = SPECTRAL.contains(layerMetric) ? spectrumComputed(run, layer) : null;
        int index = iterations.length - 1;
        if (iteration >= 0) {
            while (index >= 0 && iterations[index] != iteration) {
                index--;
            }
            if (index < 0) {
                throw new IllegalArgumentException("the run has no value of metric '" + name + "' at iteration "
                        + iteration + " (iterations: " + list(IntStream.range(0, iterations.length), iterations) + ")");
            }
            if (usable != null && !usable[index]) {
                throw new IllegalArgumentException("the scan at iteration " + iteration + " computed no spectrum of"
                        + " layer '" + layer + "', which metric '" + name + "' needs (scans with one: "
                        + list(IntStream.range(0, iterations.length).filter(i -> usable[i]), iterations) + ")");
            }
        } else if (usable != null) {
            while (index >= 0 && !usable[index]) {
                index--;
            }
            if (index < 0) {
                throw new IllegalArgumentException("no scan of the run computed the spectrum of layer '" + layer
                        + "', which metric '" + name + "' needs (the scanner's spectra were off)");
            }
        }
        double error = series.errors()[index];
        return new Measurement(series.values()[index], Double.isFinite(error) ? error : 0, iterations[index]);
    }

    private static String list(IntStream indices, long[] iterations) {
        String listed = indices.mapToLong(i -> iterations[i]).distinct().mapToObj(Long::toString)
                .collect(Collectors.joining(", "));
        return listed.isEmpty() ? "none" : listed;
    }

    private Series series(RunHistory run) {
        if (layer != null) {
            return run.layer(layer, layerMetric);
        }
        switch (base) {
            case "llc":
                return run.llc();
            case "loss":
                return run.loss();
            case "llcUpperBound":
                return run.llcUpperBound();
            default:
                return run.metric(base.substring(RunHistory.METRIC_PREFIX.length()));
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** A value with its standard error (0 when it has none) and the iteration it was taken at. */
    record Measurement(double value, double standardError, long iteration) {
    }
}
