package org.slt4j.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToleranceTest {

    private final Tolerance threeSeTenPercent = Tolerance.of(3, 0.1);

    @Test
    void changeBeyondBothStandardErrorsAndRelativeToleranceIsARegression() {
        assertThat(threeSeTenPercent.isRegression(10, 12, 0.5)).isTrue();
        assertThat(threeSeTenPercent.isRegression(10, 8, 0.5)).isTrue();
    }

    @Test
    void changeWithinTheStandardErrorsIsNotARegressionEvenBeyondTheRelativeTolerance() {
        assertThat(threeSeTenPercent.isRegression(10, 12, 1)).isFalse();
    }

    @Test
    void changeWithinTheRelativeToleranceIsNotARegressionEvenBeyondTheStandardErrors() {
        assertThat(threeSeTenPercent.isRegression(10, 10.9, 0.01)).isFalse();
    }

    @Test
    void withoutUncertaintyOnlyTheRelativeToleranceCounts() {
        assertThat(threeSeTenPercent.isRegression(8, 8, 0)).isFalse();
        assertThat(threeSeTenPercent.isRegression(8, 7, 0)).isTrue();
    }

    @Test
    void absoluteToleranceIsAFloorForExpectedValuesNearZero() {
        assertThat(threeSeTenPercent.isRegression(0, 0.05, 0)).isTrue();
        assertThat(threeSeTenPercent.withAbsolute(0.1).isRegression(0, 0.05, 0)).isFalse();
        assertThat(threeSeTenPercent.withAbsolute(0.1).allowedChange(10)).isEqualTo(1.0);
    }

    @Test
    void nonFiniteFoundValueIsAlwaysARegression() {
        assertThat(threeSeTenPercent.isRegression(10, Double.NaN, 100)).isTrue();
    }

    @Test
    void negativeOrNonFiniteTolerancesAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> Tolerance.of(-1, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("standardErrors (k) tolerance must be finite and >= 0 (got: -1.0)");
        assertThatThrownBy(() -> Tolerance.of(3, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relative tolerance must be finite");
        assertThatThrownBy(() -> Tolerance.defaults().withAbsolute(-2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute tolerance");
    }
}
