package org.slt4j.testkit;

import java.util.Arrays;
import org.slt4j.llc.Sampler;

/**
 * Exact learning coefficients from the Singular Learning Theory literature, the targets of slt4j's accuracy tests
 * and a way to check estimator settings on your own machine: reduced rank regression (Aoyagi and Watanabe 2005,
 * "Stochastic complexities of reduced rank regression in Bayesian estimation", Neural Networks 18), deep linear
 * networks (Aoyagi 2024, "Consideration on the learning efficiency of multiple-layered neural networks with linear
 * units", Neural Networks 172) and the quadratic potential under discretized Langevin dynamics.
 */
public final class ExactValues {

    private ExactValues() {
    }

    /**
     * E[lambda_hat] of full-batch SGLD on K = 1/2 sum h_i u_i^2 at finite nBeta, gamma and eps (the chain is an
     * AR(1) process): 1/2 sum nBeta h / ((nBeta h + gamma)(1 - eps (nBeta h + gamma)/4)).
     */
    public static double quadratic(double[] curvatures, double nBeta, double gamma, double eps) {
        return quadratic(curvatures, nBeta, gamma, eps, Sampler.SGLD);
    }

    /**
     * E[lambda_hat] of full-batch Langevin sampling with the given sampler on K = 1/2 sum h_i u_i^2 at finite nBeta,
     * gamma and eps: {@link #quadratic(double[], double, double, double)} for plain SGLD; for
     * {@link Sampler#LEIMKUHLER_MATTHEWS}, whose stationary distribution on a quadratic is exact at any stable step,
     * 1/2 sum nBeta h / (nBeta h + gamma), the value plain SGLD tends to as eps goes to 0.
     *
     * @throws IllegalArgumentException for a preconditioned sampler, or a step at or beyond the limit of stability
     *                                  (eps (nBeta h + gamma) &gt;= 4)
     */
    public static double quadratic(double[] curvatures, double nBeta, double gamma, double eps, Sampler sampler) {
        if (sampler.preconditioned()) {
            throw new IllegalArgumentException("no exact value for the preconditioned sampler " + sampler);
        }
        boolean exactAtAnyStep = sampler == Sampler.LEIMKUHLER_MATTHEWS;
        double sum = 0;
        for (double h : curvatures) {
            double k = nBeta * h + gamma;
            if (eps * k >= 4) {
                throw new IllegalArgumentException("unstable: eps*(nBeta*h+gamma) = " + eps * k + " >= 4");
            }
            sum += nBeta * h / (k * (exactAtAnyStep ? 1 : 1 - eps * k / 4));
        }
        return sum / 2;
    }

    /**
     * Reduced rank regression y = B A x (Aoyagi and Watanabe 2005): M inputs, H hidden, N outputs, true rank r.
     *
     * @throws IllegalArgumentException unless all sizes are positive and 0 &lt;= r &lt;= min(M, H, N)
     */
    public static double reducedRankRegression(int m, int h, int n, int r) {
        if (m < 1 || h < 1 || n < 1 || r < 0 || r > Math.min(m, Math.min(h, n))) {
            throw new IllegalArgumentException(String.format(
                    "sizes must be >= 1 and 0 <= r <= min(M, H, N) (got: M=%d, H=%d, N=%d, r=%d)", m, h, n, r));
        }
        if (n + r <= m + h && m + r <= n + h && h + r <= m + n) {
            double lambda = (2.0 * (h + r) * (m + n) - (double) (m - n) * (m - n) - (double) (h + r) * (h + r)) / 8;
            return (m + h + n + r) % 2 == 1 ? lambda + 1.0 / 8 : lambda;
        }
        if (m + h < n + r) {
            return (h * m - h * r + n * r) / 2.0;
        }
        if (n + h < m + r) {
            return (h * n - h * r + m * r) / 2.0;
        }
        return m * n / 2.0;
    }

    /**
     * Deep linear network f(x) = W_L ... W_1 x with widths H_1 (input) ... H_{L+1} (output) and true product
     * rank r (Aoyagi 2024): the global learning coefficient, attained at a true parameter whose every layer has
     * rank exactly r (see {@link DeepLinearNetworks#atRank}).
     *
     * @throws IllegalArgumentException unless there are at least two widths, all positive, and 0 &lt;= r &lt;= min
     */
    public static double deepLinearNetwork(int[] widths, int r) {
        if (widths.length < 2 || Arrays.stream(widths).min().getAsInt() < 1 || r < 0
                || r > Arrays.stream(widths).min().getAsInt()) {
            throw new IllegalArgumentException(String.format(
                    "widths must be >= 2 positive sizes and 0 <= r <= their minimum (got: %s, r=%d)",
                    Arrays.toString(widths), r));
        }
        int count = widths.length;
        int[] m = new int[count];
        for (int j = 0; j < count; j++) {
            m[j] = widths[j] - r;
        }
        int[] sorted = m.clone();
        Arrays.sort(sorted);
        for (int size = 2; size <= count; size++) {
            int ell = size - 1;
            long s = 0;
            int max = Integer.MIN_VALUE;
            for (int j = 0; j < size; j++) {
                s += sorted[j];
                max = Math.max(max, sorted[j]);
            }
            boolean rest = size < count;
            int minRest = rest ? sorted[size] : Integer.MAX_VALUE;
            boolean c1 = !rest || max < minRest;
            boolean c2 = s >= (long) ell * max;
            boolean c3 = !rest || s < (long) ell * minRest;
            if (c1 && c2 && c3) {
                double a = s - (Math.ceil((double) s / ell) - 1) * ell;
                double pairs = 0;
                for (int i = 0; i < size; i++) {
                    for (int j = i + 1; j < size; j++) {
                        pairs += (double) sorted[i] * sorted[j];
                    }
                }
                double sOverL = (double) s / ell;
                return (-(double) r * r + (double) r * (widths[0] + widths[count - 1])) / 2
                        + a * (ell - a) / (4.0 * ell) - ell * (ell - 1) / 4.0 * sOverL * sOverL + pairs / 2;
            }
        }
        throw new IllegalStateException("no admissible subset for " + Arrays.toString(widths) + " r=" + r);
    }
}
