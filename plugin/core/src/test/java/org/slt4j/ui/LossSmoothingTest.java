package org.slt4j.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LossSmoothingTest {
    @Test
    void weightZeroReturnsTheValuesUnchanged() {
        assertThat(LossSmoothing.debiasedEma(new double[] {3, 1, 2}, 0)).containsExactly(3, 1, 2);
    }

    @Test
    void theFirstPointIsNotPulledTowardsZero() {
        assertThat(LossSmoothing.debiasedEma(new double[] {5, 5, 5, 5}, 0.9)).containsExactly(new double[] {5, 5, 5, 5},
                within(1e-12));
    }

    @Test
    void laterPointsAreTheDebiasedExponentialAverage() {
        double[] s = LossSmoothing.debiasedEma(new double[] {2, 4}, 0.5);
        // EMA: 0.5*0 + 0.5*2 = 1 -> /(1-0.5) = 2; 0.5*1 + 0.5*4 = 2.5 -> /(1-0.25) = 3.333...
        assertThat(s).containsExactly(new double[] {2, 10.0 / 3}, within(1e-12));
    }

    @Test
    void nonFiniteValuesPassThroughWithoutDisturbingTheAverage() {
        double[] s = LossSmoothing.debiasedEma(new double[] {2, Double.NaN, 4}, 0.5);
        assertThat(s[1]).isNaN();
        assertThat(s[2]).isCloseTo(10.0 / 3, within(1e-12));
    }

    @Test
    void weightsOutsideZeroToOneAreRejected() {
        assertThatThrownBy(() -> LossSmoothing.debiasedEma(new double[] {1}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smoothing must be in [0, 1)");
        assertThatThrownBy(() -> LossSmoothing.debiasedEma(new double[] {1}, -0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
