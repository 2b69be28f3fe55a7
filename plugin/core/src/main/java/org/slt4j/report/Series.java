package org.slt4j.report;

import java.util.Arrays;

/**
 * A named metric over training iterations, ready to plot: parallel arrays of iterations (ascending), values and
 * uncertainties. Immutable; arrays are copied out.
 */
public final class Series {
    private final String name;
    private final long[] iterations;
    private final double[] values;
    private final double[] errors;

    Series(String name, long[] iterations, double[] values, double[] errors) {
        this.name = name;
        this.iterations = iterations;
        this.values = values;
        this.errors = errors;
    }

    /** What the series measures, e.g. {@code "llc"} or {@code "0/EFFECTIVE_WIDTH"}. */
    public String name() {
        return name;
    }

    /** Number of points. */
    public int size() {
        return iterations.length;
    }

    /** Whether the series has no point. */
    public boolean isEmpty() {
        return iterations.length == 0;
    }

    /** The iterations of the points, ascending (repeats possible when a run was resumed). */
    public long[] iterations() {
        return iterations.clone();
    }

    /** The values at {@link #iterations()}; NaN where the metric was not available. */
    public double[] values() {
        return values.clone();
    }

    /**
     * The one-sigma uncertainty of each value (for the LLC: its standard error); NaN where unknown, and all NaN
     * for metrics without uncertainty.
     */
    public double[] errors() {
        return errors.clone();
    }

    /** The value of the last point, NaN when empty. */
    public double lastValue() {
        return values.length == 0 ? Double.NaN : values[values.length - 1];
    }

    @Override
    public String toString() {
        return "Series{" + name + ", " + size() + " points" + (isEmpty() ? "" : ", iterations "
                + iterations[0] + ".." + iterations[iterations.length - 1] + ", last " + lastValue()) + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && name.equals(s.name) && Arrays.equals(iterations, s.iterations)
                && Arrays.equals(values, s.values) && Arrays.equals(errors, s.errors);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(values);
    }
}
