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
        double c0 = autocovariance(x, n, mean, 0);
        if (!(c0 > 0)) {
            return n;
        }
        double sum = 0;
        double previousPair = Double.POSITIVE_INFINITY;
        for (int k = 0; k + 1 < n; k += 2) {
            double pair = (autocovariance(x, n, mean, k) + autocovariance(x, n, mean, k + 1)) / c0;
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

    private static double autocovariance(double[] x, int n, double mean, int lag) {
        double s = 0;
        for (int i = 0; i + lag < n; i++) {
            s += (x[i] - mean) * (x[i + lag] - mean);
        }
        return s / n;
    }
}
