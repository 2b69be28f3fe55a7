package org.slt4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The exact-value helpers reproduce worked values of the papers they implement (Aoyagi and Watanabe 2005, Aoyagi
 * 2024) and the closed forms of the quadratic potential.
 */
class ExactValuesTest {

    @Test
    void reducedRankRegressionMatchesWorkedValuesOfAoyagiAndWatanabe2005() {
        assertThat(ExactValues.reducedRankRegression(3, 3, 3, 1)).isEqualTo(4.0);
        assertThat(ExactValues.reducedRankRegression(5, 4, 3, 2)).isEqualTo(7.0);
        assertThat(ExactValues.reducedRankRegression(2, 2, 2, 0)).isEqualTo(1.5);
        assertThat(ExactValues.reducedRankRegression(5, 4, 5, 0)).isEqualTo(8.0);
        assertThat(ExactValues.reducedRankRegression(4, 3, 8, 0)).isEqualTo(6.0);
        assertThat(ExactValues.reducedRankRegression(8, 3, 4, 0)).isEqualTo(6.0);
        assertThat(ExactValues.reducedRankRegression(3, 8, 4, 0)).isEqualTo(6.0);
        assertThat(ExactValues.reducedRankRegression(4, 2, 9, 1)).isEqualTo(7.5);
        assertThat(ExactValues.reducedRankRegression(15, 10, 10, 5)).isEqualTo(62.5);
    }

    @Test
    void deepLinearNetworkMatchesWorkedValuesOfAoyagi2024() {
        assertThat(ExactValues.deepLinearNetwork(new int[] {3, 3, 3}, 1)).isCloseTo(4.0, within(1e-12));
        assertThat(ExactValues.deepLinearNetwork(new int[] {5, 10, 20, 5}, 3)).isCloseTo(12.5, within(1e-12));
        assertThat(ExactValues.deepLinearNetwork(new int[] {3, 20, 20, 20, 3}, 3)).isCloseTo(4.5, within(1e-12));
        assertThat(ExactValues.deepLinearNetwork(new int[] {10, 3, 10, 3, 10}, 2)).isCloseTo(18.5, within(1e-12));
        assertThat(ExactValues.deepLinearNetwork(new int[] {10, 10, 10, 10}, 5)).isCloseTo(46, within(1e-12));
        assertThat(ExactValues.deepLinearNetwork(new int[] {100, 100, 100, 100, 100}, 10))
                .isCloseTo(3481.5, within(1e-9));
    }

    @Test
    void deepLinearNetworkWithTwoLayersIsReducedRankRegression() {
        int[][] cases = {{3, 3, 3, 1}, {5, 4, 3, 2}, {2, 2, 2, 0}, {5, 4, 5, 0}, {4, 3, 8, 0}, {4, 2, 9, 1}};
        for (int[] c : cases) {
            assertThat(ExactValues.deepLinearNetwork(new int[] {c[0], c[1], c[2]}, c[3]))
                    .as("M,H,N,r = %s,%s,%s,%s", c[0], c[1], c[2], c[3])
                    .isCloseTo(ExactValues.reducedRankRegression(c[0], c[1], c[2], c[3]), within(1e-9));
        }
    }

    @Test
    void oneLayerIsRegularWithHalfTheParameterCount() {
        assertThat(ExactValues.deepLinearNetwork(new int[] {4, 3}, 0)).isCloseTo(6.0, within(1e-12));
    }

    @Test
    void sizesOutsideTheirDomainAreRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExactValues.reducedRankRegression(3, 3, 3, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r=4");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExactValues.deepLinearNetwork(new int[] {3}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("widths");
    }

    @Test
    void quadraticApproachesHalfTheCurvedDirectionsAtSmallStepAndLocalization() {
        double[] h = new double[20];
        for (int i = 0; i < 12; i++) {
            h[i] = 1;
        }
        assertThat(ExactValues.quadratic(h, 1000, 1e-6, 1e-9)).isCloseTo(6.0, within(1e-3));
    }
}
