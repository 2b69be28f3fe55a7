package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchMeansTest {

    private static final int CHAINS = 32;
    private static final int LENGTH = 5_000;

    /** AR(1) traces x_t = phi x_{t-1} + e_t with unit-variance innovations, started in equilibrium. */
    private static List<double[]> ar1(double phi, double offset, long seed) {
        Random random = new Random(seed);
        List<double[]> traces = new ArrayList<>();
        double stationarySd = 1 / Math.sqrt(1 - phi * phi);
        for (int c = 0; c < CHAINS; c++) {
            double[] trace = new double[LENGTH];
            double x = stationarySd * random.nextGaussian();
            for (int i = 0; i < LENGTH; i++) {
                x = phi * x + random.nextGaussian();
                trace[i] = offset + x;
            }
            traces.add(trace);
        }
        return traces;
    }

    /** sd / sqrt(n) over all values pooled: right for independent values, too small for correlated ones. */
    private static double naiveStandardError(List<double[]> traces) {
        double sum = 0;
        long n = 0;
        for (double[] t : traces) {
            for (double v : t) {
                sum += v;
                n++;
            }
        }
        double mean = sum / n;
        double ss = 0;
        for (double[] t : traces) {
            for (double v : t) {
                ss += (v - mean) * (v - mean);
            }
        }
        return Math.sqrt(ss / (n - 1) / n);
    }

    @Test
    void onIndependentDrawsTheErrorIsTheNaiveOne() {
        List<double[]> traces = ar1(0, 3, 1);

        BatchMeans summary = BatchMeans.of(traces, Chains.BATCHES_PER_CHAIN);

        double naive = naiveStandardError(traces);
        assertThat(summary.standardError()).isCloseTo(naive, within(0.15 * naive));
        assertThat(summary.mean()).isCloseTo(3, within(4 * naive));
    }

    @Test
    void onAStronglyAutocorrelatedTraceTheErrorIsSeveralTimesTheNaiveOne() {
        // The integrated autocorrelation time of AR(1) is (1 + phi) / (1 - phi) = 39: the true error is
        // sqrt(39) = 6.2 times the naive one.
        List<double[]> traces = ar1(0.95, 0, 2);

        BatchMeans summary = BatchMeans.of(traces, Chains.BATCHES_PER_CHAIN);

        double naive = naiveStandardError(traces);
        assertThat(summary.standardError()).isGreaterThan(3 * naive).isLessThan(10 * naive);
    }

    @Test
    void tracesThatDisagreeGiveAnErrorOfTheirDisagreement() {
        // Half the traces at 0 and half at 1, each tightly around its level (chains each stuck at its own place):
        // the mean 0.5 is uncertain to the standard deviation of the traces' levels, sqrt(traces / 4 / (traces -
        // 1)), over sqrt(traces), however long the traces. Batch means alone gave sqrt(batches per trace) = 2.8
        // times less.
        List<double[]> traces = new ArrayList<>(ar1(0, 0, 3).subList(0, CHAINS / 2));
        traces.addAll(ar1(0, 1, 4).subList(0, CHAINS / 2));

        BatchMeans summary = BatchMeans.of(traces, Chains.BATCHES_PER_CHAIN);

        assertThat(summary.mean()).isCloseTo(0.5, within(0.01));
        double disagreement = Math.sqrt(CHAINS / 4.0 / (CHAINS - 1)) / Math.sqrt(CHAINS);
        assertThat(summary.standardError()).isCloseTo(disagreement, within(0.05 * disagreement))
                .isGreaterThan(25 * naiveStandardError(traces));
    }

    @Test
    void aSlowDriftSharedByNoTwoTracesIsInTheError() {
        // Each trace wanders slowly (AR(1) with an autocorrelation time of 20,000 steps, far longer than the trace)
        // around its own start, as chains drifting along a flat valley do: only the spread of the traces' means
        // measures the mean's error, and a fresh set of traces must land within it.
        double phi = 1 - 1e-4;
        List<double[]> first = ar1(phi, 0, 5);
        List<double[]> second = ar1(phi, 0, 6);

        BatchMeans a = BatchMeans.of(first, Chains.BATCHES_PER_CHAIN);
        BatchMeans b = BatchMeans.of(second, Chains.BATCHES_PER_CHAIN);

        double spread = Math.sqrt(traceMeansVariance(first) / CHAINS);
        assertThat(a.standardError()).isGreaterThanOrEqualTo(spread * (1 - 1e-9));
        assertThat(Math.abs(a.mean() - b.mean())).isLessThan(3 * Math.hypot(a.standardError(), b.standardError()));
    }

    private static double traceMeansVariance(List<double[]> traces) {
        double[] means = traces.stream().mapToDouble(t -> Arrays.stream(t).average().orElseThrow())
                .toArray();
        double mean = Arrays.stream(means).average().orElseThrow();
        return Arrays.stream(means).map(m -> (m - mean) * (m - mean)).sum() / (means.length - 1);
    }

    @Test
    void withoutValuesTheMeanIsNaNAndWithOneBatchTheError() {
        assertThat(BatchMeans.of(List.of(), 8)).isEqualTo(new BatchMeans(Double.NaN, Double.NaN));
        assertThat(BatchMeans.of(List.of(new double[0], new double[] {1, 2}), 8).mean()).isNaN();
        BatchMeans single = BatchMeans.of(List.<double[]>of(new double[] {2.5}), 8);
        assertThat(single.mean()).isEqualTo(2.5);
        assertThat(single.standardError()).isNaN();
    }
}
