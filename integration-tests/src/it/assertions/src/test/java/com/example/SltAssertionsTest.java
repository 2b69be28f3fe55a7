package com.example;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.slt4j.check.SltAssertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.report.RunHistory;
import org.slt4j.surface.NetworkSurfaces;

/** slt4j's assertions in a user's JUnit 5 tests. */
class SltAssertionsTest {

    @Test
    void aTrainingRunPassesItsChecks() {
        RunHistory run = Tiny.trainWithListener(5);
        assertThat(run).hasNoFailures().hasNoDivergedChains().hasLlcWithin(-50, 50)
                .lastSymmetry().layer("layer0").hasEffectiveWidthWithin(1, 16).hasDeadFractionBelow(1.0);
    }

    @Test
    void aFailedCheckSaysWhatWasFound() {
        LlcEstimate estimate = new LlcEstimator(Tiny.quickLlc())
                .estimate(NetworkSurfaces.of(Tiny.network(), Tiny.data()));
        assertThat(estimate).hasNoDivergedChains();
        assertThatThrownBy(() -> assertThat(estimate).hasLlcWithin(1_000, 2_000))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the LLC within [1000")
                .hasMessageContaining("but found: LLC")
                .hasMessageContaining("over " + estimate.chains().size() + " chains");
    }
}
