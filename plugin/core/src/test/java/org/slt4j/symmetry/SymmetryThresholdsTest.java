package org.slt4j.symmetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class SymmetryThresholdsTest {

    @Test
    void defaultsAreTheDocumentedValues() {
        SymmetryThresholds t = SymmetryThresholds.defaults();
        assertThat(List.of(t.deadFraction(), t.zeroNorm(), t.duplicateCosine(), t.duplicateNormTolerance(),
                t.rankTolerance())).containsExactly(1e-3, 1e-3, 0.99, 0.01, 1e-3);
    }

    @Test
    void outOfRangeValuesFailAtBuildNamingParameterRangeAndValue() {
        assertThatThrownBy(() -> new SymmetryThresholds.Builder().deadFraction(2.0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deadFraction must be in [0, 1) (got: 2.0)");
        assertThatThrownBy(() -> new SymmetryThresholds.Builder().duplicateCosine(1.0).build())
                .hasMessage("duplicateCosine must be in (0, 1) (got: 1.0)");
        assertThatThrownBy(() -> new SymmetryThresholds.Builder().rankTolerance(1e-9).build())
                .hasMessage("rankTolerance must be in [1.0E-6, 1) (got: 1.0E-9)");
        assertThatThrownBy(() -> new SymmetryThresholds.Builder().zeroNorm(Double.NaN).build())
                .hasMessage("zeroNorm must be in [0, 1) (got: NaN)");
    }

    @Test
    void layerRecordsRejectInconsistentUnitSets() {
        assertThatThrownBy(() -> new LayerSymmetry.Builder("h", 3).deadUnits(3).build())
                .hasMessage("deadUnits must be in [0, 3) (got: 3)");
        assertThatThrownBy(() -> new LayerSymmetry.Builder("h", 3).deadUnits(0)
                .duplicateClusters(List.of(new int[] {0, 1})).build())
                .hasMessageContaining("must not contain dead or zero units");
    }
}
