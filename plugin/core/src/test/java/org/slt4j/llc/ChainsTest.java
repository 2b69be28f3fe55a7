package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slt4j.surface.AnalyticSurfaces;
import org.slt4j.surface.LossSurface;

class ChainsTest {
    private static final int STEPS = 1000;

    @Test
    void chainsThatStopAtDivergenceStopWithinAnEighthOfASegmentAfterTheFirstChainDiverged() {
        try (Chains chains = new Chains(firstEvaluatorDivergesAt(10), config(), 0, null, true)) {
            chains.burnIn(System.nanoTime());

            assertThat(chains.all().get(0).diverged()).isTrue();
            assertThat(chains.all().get(1).diverged()).isFalse();
            assertThat(chains.all().get(1).steps()).isEqualTo(STEPS / 8);
        }
    }

    @Test
    void chainsThatDoNotStopAtDivergenceRunTheWholeSegment() {
        try (Chains chains = new Chains(firstEvaluatorDivergesAt(10), config(), 0, null, false)) {
            chains.burnIn(System.nanoTime());

            assertThat(chains.all().get(0).diverged()).isTrue();
            assertThat(chains.all().get(1).steps()).isEqualTo(STEPS);
        }
    }

    @Test
    void stoppingAtDivergenceRunsTheSameStepsWhenNoChainDiverges() {
        LossSurface surface = AnalyticSurfaces.quadratic(1, 2);
        try (Chains parts = new Chains(surface, config(), 0, null, true);
                Chains whole = new Chains(surface, config(), 0, null, false)) {
            parts.burnIn(System.nanoTime());
            parts.draw(100);
            whole.burnIn(System.nanoTime());
            whole.draw(100);

            assertThat(parts.all().get(1).steps()).isEqualTo(STEPS + 100);
            assertThat(parts.all().get(1).contributions()).containsExactly(whole.all().get(1).contributions());
        }
    }

    /** Two chains on a quadratic, a fixed burn-in of {@value #STEPS} steps and a load of 0.1. */
    private static LlcConfig config() {
        return new LlcConfig.Builder().nBeta(100).stepSize(1e-3).localization(0).chains(2).burnInSteps(STEPS)
                .draws(100).threads(1).build();
    }

    /** A quadratic whose first evaluator (the first chain's) returns an infinite loss from its given call on. */
    private static LossSurface firstEvaluatorDivergesAt(int call) {
        return WrappedSurfaces.wrapping(AnalyticSurfaces.quadratic(1, 2), (index, evaluator) -> index > 0 ? evaluator
                : new WrappedSurfaces.Forwarding(evaluator) {
                    private int calls;

                    @Override
                    public double lossAndGradient(int[] batch) {
                        double loss = super.lossAndGradient(batch);
                        return ++calls >= call ? Double.POSITIVE_INFINITY : loss;
                    }
                });
    }
}
