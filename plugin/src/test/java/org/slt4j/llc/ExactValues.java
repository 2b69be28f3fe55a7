package org.slt4j.llc;

import java.util.Arrays;

/**
 * Exact learning coefficients from the SLT primer (section 3), used as targets by the accuracy tests.
 */
public final class ExactValues {

    private ExactValues() {
    }

    /**
     * E[lambda_hat] of full-batch SGLD on K = 1/2 sum h_i u_i^2 at finite nBeta, gamma and eps (the chain is an
     * AR(1) process): 1/2 sum nBeta h / ((nBeta h + gamma)(1 - eps (nBeta h + gamma)/4)).
     */
    public static double quadratic(double[] curvatures, double nBeta, double gamma, double eps) {
        double sum = 0;
        for (double h : curvatures) {
            double k = nBeta * h + gamma;
            if (eps * k >= 4) {
                throw new IllegalArgumentException("unstable: eps*(nBeta*h+gamma) = " + eps * k + " >= 4");
            }
            sum += nBeta * h / (k * (1 - eps * k / 4));
        }
        return sum / 2;
    }

    /**
     * Reduced rank regression y = B A x (Aoyagi and Watanabe 2005): M inputs, H hidden, N outputs, true rank r.
     */
    public static double reducedRankRegression(int m, int h, int n, int r) {
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
     * rank r (Aoyagi 2024), following the primer's recipe step by step.
     */
    public static double deepLinearNetwork(int[] widths, int r) {
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
