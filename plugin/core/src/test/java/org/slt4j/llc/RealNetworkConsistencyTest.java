package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testing.TinyNetworks;

/**
 * A trained MLP has no exact learning coefficient, so the default estimate is checked for consistency instead, the
 * way docs/trusting-the-llc.md tells users to check their own: it must agree within 3 combined standard errors
 * with an estimate at half its step size (its neighbour on the calibration plateau) and with a run of twice the
 * draws on other seeds.
 */
class RealNetworkConsistencyTest {
    private static final int EXAMPLES = 600;
    private static LossSurface surface;
    private static Calibration calibration;
    private static LlcEstimate estimate;

    @BeforeAll
    static void trainAndEstimate() {
        DataSet data = TinyNetworks.blobs(EXAMPLES, 9, 0.9);
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 4);
        for (int i = 0; i < 1_500; i++) {
            net.fit(data);
        }
        surface = NetworkSurfaces.of(net, data);
        LlcEstimator estimator = new LlcEstimator(new LlcConfig.Builder().trainingSetSize(EXAMPLES).build());
        calibration = estimator.calibrate(surface);
        estimate = estimator.estimate(surface, calibration);
    }

    @Test
    void theDefaultEstimateIsReliableWithATwoPercentStandardError() {
        assertThat(estimate.isReliable()).as("warnings %s after%n%s", estimate.warnings(), calibration.table())
                .isTrue();
        assertThat(estimate.relativeStandardError()).isLessThanOrEqualTo(0.02);
        assertThat(estimate.mean()).isPositive().isLessThan(estimate.dimension() / 2.0);
    }

    @Test
    void halfTheStepSizeAgreesWithinThreeCombinedStandardErrors() {
        LlcConfig chosen = estimate.config();
        LlcEstimate half = new LlcEstimator(chosen.toBuilder().stepSize(chosen.stepSize().getAsDouble() / 2)
                .seed(chosen.seed() + 1).automatic(LlcConfig.Setting.BURN_IN_STEPS, LlcConfig.Setting.DRAWS)
                .maxStepsPerChain(2 * chosen.maxStepsPerChain()).build()).estimate(surface);

        assertAgree(estimate, half);
    }

    @Test
    void twiceTheDrawsAgreeWithinThreeCombinedStandardErrors() {
        LlcConfig chosen = estimate.config();
        LlcEstimate longer = new LlcEstimator(chosen.toBuilder().draws(2 * chosen.draws().getAsInt())
                .seed(chosen.seed() + 2).build()).estimate(surface);

        assertAgree(estimate, longer);
    }

    private static void assertAgree(LlcEstimate a, LlcEstimate b) {
        double combined = Math.hypot(a.standardError(), b.standardError());
        assertThat(combined).as("combined standard error, small enough to give the comparison power")
                .isLessThanOrEqualTo(0.04 * a.mean());
        assertThat(Math.abs(a.mean() - b.mean())).as("%s against %s", a, b).isLessThanOrEqualTo(3 * combined);
    }
}
