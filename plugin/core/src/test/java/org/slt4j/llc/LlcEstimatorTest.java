package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.surface.AnalyticSurfaces;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testing.TinyNetworks;

class LlcEstimatorTest {

    private static LossSurface trainedClassifier() {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 11);
        DataSet data = TinyNetworks.blobs(90, 12);
        for (int i = 0; i < 200; i++) {
            net.fit(data);
        }
        return NetworkSurfaces.of(net, data);
    }

    @Test
    void resultsAreIdenticalWhateverTheThreadCount() {
        LossSurface surface = trainedClassifier();
        LlcConfig.Builder config = new LlcConfig.Builder().trainingSetSize(90).chains(3).burnInSteps(20).draws(30)
                .batchSize(16).stepSize(1e-4).localization(100).seed(5);

        LlcEstimate single = new LlcEstimator(config.threads(1).build()).estimate(surface);
        LlcEstimate parallel = new LlcEstimator(config.threads(3).build()).estimate(surface);

        for (int i = 0; i < 3; i++) {
            assertThat(parallel.chains().get(i).llc()).isEqualTo(single.chains().get(i).llc());
            assertThat(parallel.chains().get(i).lossTrace()).isEqualTo(single.chains().get(i).lossTrace());
        }
        assertThat(parallel.mean()).isEqualTo(single.mean());
    }

    @Test
    void differentSeedsGiveDifferentChains() {
        LossSurface surface = AnalyticSurfaces.quadratic(1, 1, 1);
        LlcConfig.Builder config = new LlcConfig.Builder().nBeta(100).chains(2).burnInSteps(50).draws(50)
                .stepSize(1e-3).localization(1);
        LlcEstimate a = new LlcEstimator(config.seed(1).build()).estimate(surface);
        LlcEstimate b = new LlcEstimator(config.seed(2).build()).estimate(surface);
        assertThat(a.chains().get(0).llc()).isNotEqualTo(b.chains().get(0).llc());
        assertThat(a.chains().get(0).llc()).isNotEqualTo(a.chains().get(1).llc());
    }

    @Test
    void divergedChainsAreStoppedExcludedAndReportedNotThrown() {
        // eps * nBeta * h = 5 > 4: the quadratic chain explodes geometrically.
        LlcConfig config = new LlcConfig.Builder().nBeta(1000).stepSize(5e-3).localization(0).chains(3)
                .burnInSteps(200).draws(100).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(1, 1));

        assertThat(estimate.divergedChains()).isEqualTo(3);
        assertThat(estimate.mean()).isNaN();
        assertThat(estimate.chains()).allSatisfy(chain -> {
            assertThat(chain.divergence()).hasValueSatisfying(s -> assertThat(s).contains("divergence limit"));
            assertThat(chain.steps()).isLessThan(config.burnInSteps().getAsInt() + config.draws().getAsInt());
        });
        assertThat(estimate.warnings()).anySatisfy(w -> assertThat(w).contains("all 3 chains diverged"));
    }

    @Test
    void aCentreThatIsNoMinimumGivesANegativeEstimateAndAWarning() {
        // K(w) = (w - 1)^2 sampled around w* = 0, where the slope pulls the chain towards lower loss.
        LossSurface slope = AnalyticSurfaces.of(1, (w, g) -> {
            g[0] = 2 * (w[0] - 1);
            return (w[0] - 1) * (w[0] - 1) - 1;
        });
        LlcConfig config = new LlcConfig.Builder().nBeta(100).localization(100).stepSize(1e-3).chains(2)
                .burnInSteps(200).draws(200).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(slope);

        assertThat(estimate.mean()).isNegative();
        assertThat(estimate.fractionBelowBaseline()).isGreaterThan(0.9);
        assertThat(estimate.warnings()).anySatisfy(w -> assertThat(w).contains("non-positive estimate"))
                .anySatisfy(w -> assertThat(w).contains("below the baseline"));
    }

    @Test
    void pairedAndInitBaselinesAgreeWithinTheirErrors() {
        LossSurface surface = trainedClassifier();
        LlcConfig.Builder config = new LlcConfig.Builder().trainingSetSize(90).chains(4).burnInSteps(100).draws(300)
                .batchSize(30).stepSize(1e-4).localization(100).seed(8);

        LlcEstimate paired = new LlcEstimator(config.baseline(Baseline.PAIRED).build()).estimate(surface);
        LlcEstimate init = new LlcEstimator(config.baseline(Baseline.INIT).build()).estimate(surface);

        double tolerance = 4 * Math.hypot(paired.standardError(), init.standardError());
        assertThat(Math.abs(paired.mean() - init.mean())).isLessThan(tolerance);
        assertThat(paired.mean()).isPositive();
        assertThat(init.chains().get(0).baselineTrace()).containsOnly(init.baselineLoss());
        assertThat(paired.chains().get(0).baselineTrace()).doesNotContain(paired.baselineLoss());
    }

    /**
     * Where the surface gives per-example losses (the dense fast path), the PAIRED baseline's loss at the centre is
     * computed once per example and kept: every draw, baseline and burn-in decision is the same to the bit as with
     * the centre's forward pass on every minibatch.
     */
    @Test
    void thePairedBaselineFromKeptExampleLossesIsTheSameToTheBit() {
        LossSurface surface = trainedClassifier();
        try (LossSurface.Evaluator evaluator = surface.newEvaluator()) {
            assertThat(evaluator.exampleLosses(new int[] {0})).as("per-example losses").isPresent();
        }
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(90).chains(2).draws(200).maxStepsPerChain(2000)
                .batchSize(16).stepSize(1e-4).localization(100).seed(3).baseline(Baseline.PAIRED).build();

        LlcEstimate kept = new LlcEstimator(config).estimate(surface);
        LlcEstimate perBatch = new LlcEstimator(config).estimate(withoutExampleLosses(surface));

        assertThat(kept.config().burnInSteps()).isEqualTo(perBatch.config().burnInSteps());
        assertThat(kept.tuning().burnIn()).isEqualTo(perBatch.tuning().burnIn());
        assertThat(kept.totalSteps()).isEqualTo(perBatch.totalSteps());
        for (int i = 0; i < 2; i++) {
            assertThat(kept.chains().get(i).baselineTrace()).isEqualTo(perBatch.chains().get(i).baselineTrace());
            assertThat(kept.chains().get(i).lossTrace()).isEqualTo(perBatch.chains().get(i).lossTrace());
        }
        assertThat(kept.mean()).isEqualTo(perBatch.mean());
        assertThat(kept.standardError()).isEqualTo(perBatch.standardError());
    }

    /** The surface with the per-example losses hidden: the centre's forward pass runs on every minibatch. */
    private static LossSurface withoutExampleLosses(LossSurface surface) {
        return WrappedSurfaces.wrapping(surface, (index, evaluator) -> new WrappedSurfaces.Forwarding(evaluator));
    }

    @Test
    void theEstimateCarriesItsConfigurationAndBookkeeping() {
        LlcConfig config = new LlcConfig.Builder().nBeta(50).chains(2).burnInSteps(10).draws(20).stepsBetweenDraws(3)
                .stepSize(1e-3).localization(100).keepTraces(false).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(1, 2, 0));

        assertThat(estimate.config()).isEqualTo(config);
        assertThat(estimate.dimension()).isEqualTo(3);
        assertThat(estimate.totalSteps()).isEqualTo(2L * (10 + 20 * 3));
        assertThat(estimate.chains()).allSatisfy(chain -> {
            assertThat(chain.draws()).isEqualTo(20);
            assertThat(chain.lossTrace()).isEmpty();
        });
        assertThat(estimate.tuning()).as("set values are used exactly").isEqualTo(new LlcEstimate.Tuning(Set.of(), "",
                "fixed at 10 steps", true, LlcEstimate.DrawsStop.FIXED, estimate.tuning().stepLoad()));
        assertThat(estimate.tuning().stepLoad()).as("the step's load where the chains ended").isPositive().isFinite();
        assertThat(estimate.standardError()).isPositive().isFinite();
        assertThat(estimate.wallTime()).isPositive();
        assertThat(estimate.rHat()).isNotNaN();
    }
}
