package org.slt4j.llc;

import java.util.List;

/**
 * The mean of several traces and its standard error, the largest of three estimates. Batch means: each trace is
 * cut into {@code batches} consecutive batches of equal length (dropping the first few values when the length does
 * not divide), and the error is the standard deviation of all batch means over the square root of their number.
 * Effective sample size: the pooled standard deviation over the square root of the summed effective sample sizes
 * (Geyer's initial monotone sequence); it sees autocorrelation longer than a batch, where batch means alone would
 * understate the error. Trace means (with two traces or more): the standard deviation of the traces' means over
 * the square root of their number, the direct estimate of the mean's error whatever the autocorrelation. It sees
 * what the other two miss when every trace sits at its own level for longer than the trace: chains still drifting
 * along a flat valley of the loss, each at its own place. Batch means divide such offsets by the number of batches
 * per trace, and the effective sample size, computed within each trace, does not see them at all. With few traces
 * it is noisy, which is why it only ever raises the error.
 *
 * @param mean          mean of all batch means (NaN without values)
 * @param standardError its standard error (NaN with fewer than two batches)
 */
record BatchMeans(double mean, double standardError) {

    static BatchMeans of(List<double[]> traces, int batches) {
        double[] ess = new double[traces.size()];
        for (int t = 0; t < ess.length; t++) {
            ess[t] = McmcDiagnostics.effectiveSampleSize(traces.get(t), traces.get(t).length);
        }
        return of(traces, ess, batches);
    }

    /**
     * As {@link #of(List, int)}, with each trace's effective sample size given ({@code ess[t]} for trace t, NaN where
     * it is undefined), as its chain keeps it.
     */
    static BatchMeans of(List<double[]> traces, double[] ess, int batches) {
        int shortest = traces.stream().mapToInt(t -> t.length).min().orElse(0);
        int perTrace = Math.min(batches, shortest);
        if (perTrace == 0) {
            return new BatchMeans(Double.NaN, Double.NaN);
        }
        int length = shortest / perTrace;
        int count = perTrace * traces.size();
        double[] means = new double[count];
        int k = 0;
        double sum = 0;
        for (double[] trace : traces) {
            int from = trace.length - perTrace * length;
            for (int b = 0; b < perTrace; b++) {
                double s = 0;
                for (int i = 0; i < length; i++) {
                    s += trace[from + b * length + i];
                }
                means[k++] = s / length;
                sum += s / length;
            }
        }
        double mean = sum / count;
        if (count < 2) {
            return new BatchMeans(mean, Double.NaN);
        }
        double ss = 0;
        for (double m : means) {
            ss += (m - mean) * (m - mean);
        }
        double batchError = Math.sqrt(ss / (count - 1) / count);
        double pooled = 0;
        double summedEss = 0;
        long values = 0;
        for (int t = 0; t < traces.size(); t++) {
            double[] trace = traces.get(t);
            for (double v : trace) {
                pooled += (v - mean) * (v - mean);
            }
            values += trace.length;
            summedEss += Double.isNaN(ess[t]) ? trace.length : ess[t];
        }
        double essError = Math.sqrt(pooled / Math.max(1, values - 1) / summedEss);
        return new BatchMeans(mean, Math.max(Math.max(batchError, essError), traceMeansError(means, perTrace)));
    }

    /** The standard error from the traces' means (each the mean of its perTrace batch means); 0 for one trace. */
    private static double traceMeansError(double[] batchMeans, int perTrace) {
        int traces = batchMeans.length / perTrace;
        if (traces < 2) {
            return 0;
        }
        double[] means = new double[traces];
        double sum = 0;
        for (int t = 0; t < traces; t++) {
            for (int b = 0; b < perTrace; b++) {
                means[t] += batchMeans[t * perTrace + b] / perTrace;
            }
            sum += means[t];
        }
        double mean = sum / traces;
        double ss = 0;
        for (double m : means) {
            ss += (m - mean) * (m - mean);
        }
        return Math.sqrt(ss / (traces - 1) / traces);
    }
}
