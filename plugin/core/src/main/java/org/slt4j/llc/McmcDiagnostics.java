package org.slt4j.llc;

/** Convergence diagnostics on per-draw traces: split R-hat and effective sample size. */
final class McmcDiagnostics {

    private McmcDiagnostics() {
    }

    /**
     * Split R-hat (Gelman et al., Bayesian Data Analysis, 3rd ed., section 11.4) of equally long traces, truncated
     * to the shortest. NaN with fewer than two traces, fewer than 4 draws, or no within-chain variance.
     */
    static double splitRHat(double[][] traces) {
        if (traces.length < 2) {
            return Double.NaN;
        }
        int n = Integer.MAX_VALUE;
        for (double[] t : traces) {
            n = Math.min(n, t.length);
        }
        int half = n / 2;
        if (half < 2) {
            return Double.NaN;
        }
        int m = traces.length * 2;
        double[] means = new double[m];
        double[] vars = new double[m];
        for (int c = 0; c < traces.length; c++) {
            for (int h = 0; h < 2; h++) {
                int from = h * half;
                double mean = 0;
                for (int i = 0; i < half; i++) {
                    mean += traces[c][from + i];
                }
                mean /= half;
                double ss = 0;
                for (int i = 0; i < half; i++) {
                    double d = traces[c][from + i] - mean;
                    ss += d * d;
                }
                means[2 * c + h] = mean;
                vars[2 * c + h] = ss / (half - 1);
            }
        }
        double grand = 0;
        double w = 0;
        for (int j = 0; j < m; j++) {
            grand += means[j];
            w += vars[j];
        }
        grand /= m;
        w /= m;
        double b = 0;
        for (int j = 0; j < m; j++) {
            b += (means[j] - grand) * (means[j] - grand);
        }
        b = b * half / (m - 1);
        if (!(w > 0)) {
            return Double.NaN;
        }
        double varHat = (half - 1.0) / half * w + b / half;
        return Math.sqrt(varHat / w);
    }

    /**
     * Effective sample size of one trace with Geyer's initial monotone sequence estimator: sums of consecutive
     * autocorrelation pairs, truncated at the first negative pair and made monotone. NaN for fewer than 4 draws;
     * the trace length for a constant trace.
     */
    static double effectiveSampleSize(double[] x, int length) {
        int n = length;
        if (n < 4) {
            return Double.NaN;
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += x[i];
        }
        mean /= n;
        Autocovariances autocovariances = new Autocovariances(x, n, mean);
        double c0 = autocovariances.at(0);
        if (!(c0 > 0)) {
            return n;
        }
        double sum = 0;
        double previousPair = Double.POSITIVE_INFINITY;
        for (int k = 0; k + 1 < n; k += 2) {
            double pair = (autocovariances.at(k) + autocovariances.at(k + 1)) / c0;
            if (pair <= 0) {
                break;
            }
            pair = Math.min(pair, previousPair);
            sum += pair;
            previousPair = pair;
        }
        double tau = -1 + 2 * sum;
        return n / Math.max(tau, 1.0 / Math.log10(Math.max(n, 10)));
    }

    /**
     * The autocovariances sum_i (x_i - mean)(x_{i+lag} - mean) / n of a trace, computed on demand, {@value #BLOCK}
     * lags in one pass over the trace. Each lag's sum runs over i in ascending order, as one loop per lag would, so
     * the values are the same to the bit; the pass keeps {@value #BLOCK} independent sums in flight instead of
     * waiting on one. On strongly correlated chains Geyer's sequence reaches lags in the thousands: one lag at a
     * time, it held 39% of the Java samples in a profile of a small deep linear network's estimate.
     */
    private static final class Autocovariances {
        private static final int BLOCK = 8;
        private final double[] centred;
        private final double[] values;
        private int computed;

        Autocovariances(double[] x, int n, double mean) {
            centred = new double[n];
            for (int i = 0; i < n; i++) {
                centred[i] = x[i] - mean;
            }
            values = new double[n];
        }

        double at(int lag) {
            while (computed <= lag) {
                computeFrom(computed);
            }
            return values[lag];
        }

        private void computeFrom(int lag) {
            double[] y = centred;
            int n = y.length;
            if (lag + BLOCK > n) {
                double s = 0;
                for (int i = 0; i + lag < n; i++) {
                    s += y[i] * y[i + lag];
                }
                values[lag] = s / n;
                computed = lag + 1;
                return;
            }
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            double s4 = 0;
            double s5 = 0;
            double s6 = 0;
            double s7 = 0;
            int common = n - lag - (BLOCK - 1);
            for (int i = 0; i < common; i++) {
                double a = y[i];
                int j = i + lag;
                s0 += a * y[j];
                s1 += a * y[j + 1];
                s2 += a * y[j + 2];
                s3 += a * y[j + 3];
                s4 += a * y[j + 4];
                s5 += a * y[j + 5];
                s6 += a * y[j + 6];
                s7 += a * y[j + 7];
            }
            double[] sums = {s0, s1, s2, s3, s4, s5, s6, s7};
            for (int k = 0; k < BLOCK; k++) {
                for (int i = common; i + lag + k < n; i++) {
                    sums[k] += y[i] * y[i + lag + k];
                }
                values[lag + k] = sums[k] / n;
            }
            computed = lag + BLOCK;
        }
    }
}
