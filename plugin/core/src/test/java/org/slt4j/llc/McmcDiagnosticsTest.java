package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class McmcDiagnosticsTest {

    private static double[] ar1(double rho, int n, long seed, double shift) {
        Random random = new Random(seed);
        double[] x = new double[n];
        double v = random.nextGaussian() / Math.sqrt(1 - rho * rho);
        for (int i = 0; i < n; i++) {
            v = rho * v + random.nextGaussian();
            x[i] = v + shift;
        }
        return x;
    }

    @Test
    void rHatOfChainsFromOneDistributionIsNearOne() {
        double[][] chains = {ar1(0, 4000, 1, 0), ar1(0, 4000, 2, 0), ar1(0, 4000, 3, 0), ar1(0, 4000, 4, 0)};
        assertThat(McmcDiagnostics.splitRHat(chains)).isCloseTo(1.0, within(0.01));
    }

    @Test
    void rHatOfChainsWithDifferentMeansIsLarge() {
        double[][] chains = {ar1(0, 1000, 1, 0), ar1(0, 1000, 2, 0), ar1(0, 1000, 3, 2), ar1(0, 1000, 4, 2)};
        assertThat(McmcDiagnostics.splitRHat(chains)).isGreaterThan(1.3);
    }

    @Test
    void rHatNeedsTwoChains() {
        assertThat(McmcDiagnostics.splitRHat(new double[][] {ar1(0, 100, 1, 0)})).isNaN();
    }

    @Test
    void effectiveSampleSizeOfIndependentDrawsIsAboutTheirNumber() {
        assertThat(McmcDiagnostics.effectiveSampleSize(ar1(0, 20_000, 5, 0), 20_000)).isCloseTo(20_000,
                within(2_000.0));
    }

    @Test
    void effectiveSampleSizeOfAnAr1ChainIsNTimesOneMinusRhoOverOnePlusRho() {
        double rho = 0.9;
        int n = 50_000;
        double expected = n * (1 - rho) / (1 + rho);
        assertThat(McmcDiagnostics.effectiveSampleSize(ar1(rho, n, 6, 0), n)).isCloseTo(expected,
                within(0.15 * expected));
    }

    @Test
    void effectiveSampleSizeNeedsFourDraws() {
        assertThat(McmcDiagnostics.effectiveSampleSize(new double[] {1, 2, 3}, 3)).isNaN();
    }

    /**
     * The lags are computed eight in one pass; each lag's sum keeps its order, so the result is the same to the bit
     * as one loop per lag (this reference), for traces shorter than a block, around block boundaries, and on a
     * strongly correlated chain whose sequence runs to lags in the hundreds. A longer array than the length given
     * is read only up to that length.
     */
    @Test
    void effectiveSampleSizeIsTheSameToTheBitAsOneLagAtATime() {
        for (int n = 4; n <= 40; n++) {
            double[] x = ar1(0.5, n + 3, n, 1.5);
            assertThat(McmcDiagnostics.effectiveSampleSize(x, n)).isEqualTo(geyerOneLagAtATime(x, n));
        }
        double[] slow = ar1(0.995, 20_000, 7, -3);
        assertThat(McmcDiagnostics.effectiveSampleSize(slow, slow.length))
                .isEqualTo(geyerOneLagAtATime(slow, slow.length)).isLessThan(200);
        double[] constant = new double[50];
        assertThat(McmcDiagnostics.effectiveSampleSize(constant, 50)).isEqualTo(50);
    }

    private static double geyerOneLagAtATime(double[] x, int n) {
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
        return n / Math.max(-1 + 2 * sum, 1.0 / Math.log10(Math.max(n, 10)));
    }

    private static double autocovariance(double[] x, int n, double mean, int lag) {
        double s = 0;
        for (int i = 0; i + lag < n; i++) {
            s += (x[i] - mean) * (x[i + lag] - mean);
        }
        return s / n;
    }
}
