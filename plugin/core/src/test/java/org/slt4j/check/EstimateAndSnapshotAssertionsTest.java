package org.slt4j.check;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.slt4j.check.SltAssertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.surface.AnalyticSurfaces;
import org.slt4j.symmetry.SymmetrySnapshot;

class EstimateAndSnapshotAssertionsTest {

    static LlcEstimate estimate;
    static LlcEstimate divergent;

    @BeforeAll
    static void estimates() {
        LlcConfig config = new LlcConfig.Builder().nBeta(100).chains(4).burnInSteps(100).draws(200).stepSize(1e-3)
                .localization(1).threads(1).build();
        estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(1, 1, 1, 1));
        divergent = new LlcEstimator(config.toBuilder().stepSize(1).build())
                .estimate(AnalyticSurfaces.monomial(2));
    }

    @Test
    void llcWithinARangeThatHoldsPasses() {
        assertThatCode(() -> assertThat(estimate).hasLlcWithin(1, 3).hasNoDivergedChains())
                .doesNotThrowAnyException();
    }

    @Test
    void llcOutsideTheRangeFailsWithTheValueItsStandardErrorAndTheChains() {
        assertThatThrownBy(() -> assertThat(estimate).hasLlcWithin(5, 6)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the LLC within [5, 6]")
                .hasMessageMatching("(?s).*but found: LLC [0-9.]+ ± [0-9.]+ \\(standard error; std [0-9.]+ over 4"
                        + " chains, 0 diverged; chains: .*");
    }

    @Test
    void llcCloseToAnExpectedValueUsesTheTolerance() {
        assertThatCode(() -> assertThat(estimate).hasLlcCloseTo(2, Tolerance.of(3, 0.2)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> assertThat(estimate).hasLlcCloseTo(4, Tolerance.of(3, 0.1)))
                .hasMessageContaining("Expecting the LLC close to 4 (within 3 standard errors and 10%)")
                .hasMessageContaining("but found: LLC ");
    }

    @Test
    void divergedChainsFailNoDivergedChainsNamingTheCount() {
        assertThatThrownBy(() -> assertThat(divergent).hasNoDivergedChains())
                .hasMessageContaining("Expecting no diverged chains")
                .hasMessageContaining("diverged; chains: ").hasMessageContaining("diverged");
    }

    @Test
    void rHatBoundFailsWithTheFoundRHat() {
        assertThatThrownBy(() -> assertThat(estimate).hasRHatBelow(0.5))
                .hasMessageContaining("Expecting R-hat below 0.5 but R-hat was ");
    }

    @Test
    void layerAssertionsPassWhenTheMetricsHold() {
        SymmetrySnapshot snapshot = Runs.snapshot(10, 0, 5.5);

        assertThatCode(() -> assertThat(snapshot).hasNoDeadUnits().hasTotalEffectiveWidthWithin(7, 7)
                .layer("layer0").hasDeadFractionBelow(0.1).hasEffectiveWidthWithin(6, 8)
                .hasNumericalRankWithin(6, 6).hasEffectiveRankWithin(5, 6).hasStableRankWithin(2, 3))
                .doesNotThrowAnyException();
    }

    @Test
    void deadFractionAboveTheBoundFailsListingTheDeadUnits() {
        SymmetrySnapshot snapshot = Runs.snapshot(10, 2, 5.5);

        assertThatThrownBy(() -> assertThat(snapshot).layer("layer0").hasDeadFractionBelow(0.1))
                .hasMessageContaining("Expecting layer layer0 to have dead fraction below 0.1")
                .hasMessageContaining("but found: 0.25 (dead units [0, 1])");
        assertThatThrownBy(() -> assertThat(snapshot).hasNoDeadUnits())
                .hasMessageContaining("layer layer0 has 2 of 8: [0, 1]").hasMessageContaining("iteration 10");
    }

    @Test
    void widthAndRankOutsideTheirRangesFailWithTheFoundValue() {
        SymmetrySnapshot snapshot = Runs.snapshot(10, 2, 5.5);

        assertThatThrownBy(() -> assertThat(snapshot).layer("layer0").hasEffectiveWidthWithin(7, 8))
                .hasMessageContaining("effective width within [7, 8]").hasMessageContaining("but found: 5");
        assertThatThrownBy(() -> assertThat(snapshot).layer("layer0").hasEffectiveRankWithin(1, 2))
                .hasMessageContaining("effective rank within [1, 2]").hasMessageContaining("but found: 5.5");
        assertThatThrownBy(() -> assertThat(snapshot).layer("layer0").hasNumericalRankWithin(1, 2))
                .hasMessageContaining("but found: 6");
        assertThatThrownBy(() -> assertThat(snapshot).layer("layer0").hasStableRankWithin(3, 4))
                .hasMessageContaining("but found: 2.5");
        assertThatThrownBy(() -> assertThat(snapshot).hasTotalEffectiveWidthWithin(6, 8))
                .hasMessageContaining("but found 5");
        assertThatThrownBy(() -> assertThat(snapshot).hasLlcUpperBoundWithin(0, 1))
                .hasMessageContaining("(d=67, k=10)");
    }

    @Test
    void duplicateUnitsFailNoDuplicatesListingTheClusters() {
        assertThatThrownBy(() -> assertThat(Runs.snapshot(3, 0, 5)).layer("layer0").hasNoDuplicateUnits())
                .hasMessageContaining("but found: clusters [[6, 7]]");
    }

    @Test
    void unknownLayerFailsListingTheLayersFound() {
        assertThatThrownBy(() -> assertThat(Runs.snapshot(3, 0, 5)).layer("0"))
                .hasMessageContaining("Expecting a layer named '0' but the snapshot has: [layer0]");
    }
}
