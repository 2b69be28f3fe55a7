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
}
