package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slt4j.llc.LlcConfig.Setting;
import org.slt4j.llc.LlcEstimate.DrawsStop;
import org.slt4j.surface.AnalyticSurfaces;
import org.slt4j.surface.LossSurface;
import org.slt4j.testkit.ExactValues;

/**
 * The settings the estimator chooses itself: the resolved configuration reproduces the estimate, draws continue to
 * the target standard error (or stop at the step cap or time limit, flagged), and burn-in lasts until the traces
 * are stationary. Tiny analytic surfaces, full-batch, so every test takes well under a second of sampling.
 */
class AutomaticSettingsTest {

    /** Eight directions of curvature 1. */
    private static final double[] EIGHT = {1, 1, 1, 1, 1, 1, 1, 1};

    /** A sampler that mixes in a few steps: eps (nBeta h + gamma) = 0.45, a load an estimate is vouched for with. */
    private static LlcConfig.Builder fastMixing() {
        return new LlcConfig.Builder().nBeta(100).stepSize(4.5e-3).localization(1).chains(4).threads(1).seed(3);
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void anAutomaticEstimatesResolvedConfigReproducesItExactly(int threads) {
        // Calibration finds a plateau here, and the draws reach the target.
        LossSurface surface = AnalyticSurfaces.quadratic(0.5, 1, 2, 0);
        LlcConfig config = new LlcConfig.Builder().nBeta(100).chains(3).targetRelativeError(0.05)
                .maxStepsPerChain(8_000).threads(threads).seed(9).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(surface);
        LlcEstimate again = new LlcEstimator(estimate.config()).estimate(surface);

        LlcConfig resolved = estimate.config();
        assertThat(resolved.automatic()).isEmpty();
        assertThat(resolved.stepSize()).isPresent();
        assertThat(resolved.localization()).isPresent();
        assertThat(resolved.burnInSteps()).isPresent();
        assertThat(resolved.draws()).hasValue(estimate.chains().get(0).draws());
        assertThat(resolved.toBuilder().automatic(Setting.values()).build()).isEqualTo(config);
        assertThat(estimate.tuning().automatic()).containsExactlyInAnyOrder(Setting.values());
        assertThat(estimate.tuning().calibration()).isNotEmpty();
        assertThat(estimate.tuning().reproducible()).isTrue();

        assertThat(again.mean()).isEqualTo(estimate.mean());
        assertThat(again.standardError()).isEqualTo(estimate.standardError());
        assertThat(again.chains()).isEqualTo(estimate.chains());
        assertThat(again.rHat()).isEqualTo(estimate.rHat());
        assertThat(again.config()).isEqualTo(resolved);
        assertThat(again.tuning().automatic()).isEmpty();
    }

    @Test
    void automaticSettingsDoNotDependOnTheThreadCount() {
        // The small step cap leaves calibration without a plateau (fallback) and the draws end at the cap: every
        // decision is made from the traces, never from which thread finished first.
        LossSurface surface = AnalyticSurfaces.quadratic(0.5, 1, 2, 0);
        LlcConfig.Builder config = new LlcConfig.Builder().nBeta(100).chains(3).targetRelativeError(0.05)
                .maxStepsPerChain(2_000).seed(9);

        LlcEstimate single = new LlcEstimator(config.threads(1).build()).estimate(surface);
        LlcEstimate parallel = new LlcEstimator(config.threads(2).build()).estimate(surface);

        assertThat(parallel.config().toBuilder().threads(1).build()).isEqualTo(single.config());
        assertThat(parallel.chains()).isEqualTo(single.chains());
        assertThat(parallel.standardError()).isEqualTo(single.standardError());
        assertThat(parallel.tuning()).isEqualTo(single.tuning());
    }

    @Test
    void automaticDrawsContinueUntilTheStandardErrorReachesTheTarget() {
        LossSurface surface = AnalyticSurfaces.quadratic(EIGHT);
        LlcConfig.Builder config = fastMixing().burnInSteps(200);

        LlcEstimate estimate = new LlcEstimator(config.targetRelativeError(0.02).build()).estimate(surface);
        LlcEstimate looser = new LlcEstimator(config.targetRelativeError(0.04).build()).estimate(surface);

        assertThat(estimate.tuning().drawsStop()).as("%s", estimate).isEqualTo(DrawsStop.TARGET_REACHED);
        assertThat(estimate.relativeStandardError()).isLessThanOrEqualTo(0.02);
        assertThat(estimate.isReliable()).as("%s", estimate.warnings()).isTrue();
        assertThat(estimate.tuning().automatic()).containsExactly(Setting.DRAWS);
        int draws = estimate.chains().get(0).draws();
        assertThat(estimate.chains()).allSatisfy(c -> assertThat(c.draws()).isEqualTo(draws));
        assertThat(estimate.config().draws()).hasValue(draws);
        assertThat(draws).as("the first round of %s draws was not enough", Chains.FIRST_DRAWS)
                .isGreaterThan(Chains.FIRST_DRAWS);
        assertThat(looser.chains().get(0).draws()).as("a looser target needs fewer draws").isLessThan(draws);
        // The reported error is the batch-means / effective-sample-size error of exactly the recorded draws.
        List<double[]> contributions = new ArrayList<>();
        for (ChainResult chain : estimate.chains()) {
            double[] c = new double[chain.draws()];
            for (int i = 0; i < c.length; i++) {
                c[i] = 100 * (chain.lossTrace()[i] - chain.baselineTrace()[i]);
            }
            contributions.add(c);
        }
        assertThat(estimate.standardError()).isEqualTo(BatchMeans.of(contributions, Chains.BATCHES_PER_CHAIN)
                .standardError());
    }

    @Test
    void anAutomaticBurnInGrowsToHalfTheDrawsAndAFixedOneStaysAsSet() {
        // A tight target needs many more draws than the short burn-in that made the traces stationary.
        LossSurface surface = AnalyticSurfaces.quadratic(EIGHT);
        LlcEstimate automatic = new LlcEstimator(fastMixing().targetRelativeError(0.01).build()).estimate(surface);
        LlcEstimate fixed = new LlcEstimator(fastMixing().burnInSteps(256).targetRelativeError(0.01).build())
                .estimate(surface);

        int burnIn = automatic.config().burnInSteps().getAsInt();
        int draws = automatic.config().draws().getAsInt();
        assertThat(automatic.tuning().burnIn()).contains("extended to " + burnIn + " steps");
        assertThat(burnIn).as("burn-in against draws %s", draws).isGreaterThanOrEqualTo(draws / 2)
                .isLessThanOrEqualTo(draws / 2 + 1);
        assertThat(automatic.chains()).allSatisfy(c -> assertThat(c.steps()).isEqualTo((long) burnIn + c.draws()));
        assertThat(fixed.config().burnInSteps()).hasValue(256);
        assertThat(fixed.config().draws().getAsInt()).isGreaterThan(2 * 256);
    }

    @Test
    void fewestStepsAreExactForFixedChainsAndALowerBoundOfACalibratedEstimate() {
        LossSurface surface = AnalyticSurfaces.quadratic(0.5, 1, 2, 0);
        LlcConfig fixed = fastMixing().burnInSteps(20).draws(30).stepsBetweenDraws(2).build();
        assertThat(new LlcEstimator(fixed).fewestSteps()).isEqualTo(4 * (20 + 30 * 2))
                .isEqualTo(new LlcEstimator(fixed).estimate(surface).totalSteps());

        // Automatic chains: a first round of 256 burn-in steps and 256 draws, within the step cap.
        LlcConfig automaticChains = fastMixing().build();
        assertThat(new LlcEstimator(automaticChains).fewestSteps()).isEqualTo(4 * (256 + 256));
        assertThat(new LlcEstimator(fastMixing().maxStepsPerChain(300).build()).fewestSteps())
                .isEqualTo(4 * 300);

        // The given step size is calibrated at one setting at least; an automatic grid needs three for a plateau.
        LlcConfig stepGiven = fastMixing().automatic(Setting.LOCALIZATION).chains(2).build();
        LlcConfig nothingGiven = new LlcConfig.Builder().nBeta(100).chains(2).threads(1).seed(3).build();
        assertThat(new LlcEstimator(stepGiven).fewestSteps()).isEqualTo(2 * 512 + 2 * 512);
        assertThat(new LlcEstimator(nothingGiven).fewestSteps()).isEqualTo(3 * 2 * 512 + 2 * 512);
        for (LlcConfig config : List.of(stepGiven, nothingGiven)) {
            LlcEstimator estimator = new LlcEstimator(config);
            Calibration calibration = estimator.calibrate(surface);
            long taken = calibration.totalSteps() + estimator.estimate(surface, calibration).totalSteps();
            assertThat(estimator.fewestSteps()).as(calibration.table()).isLessThanOrEqualTo(taken);
        }
        assertThat(new LlcEstimator(nothingGiven).stepTime(surface)).isPositive();
    }

    @Test
    void automaticDrawsStopAtTheStepCapAndTheEstimateIsFlagged() {
        LlcConfig config = fastMixing().burnInSteps(20).maxStepsPerChain(100).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(1, 1));

        assertThat(estimate.tuning().drawsStop()).isEqualTo(DrawsStop.STEP_CAP);
        assertThat(estimate.relativeStandardError()).isGreaterThan(0.02);
        assertThat(estimate.chains()).allSatisfy(c -> {
            assertThat(c.steps()).isEqualTo(100);
            assertThat(c.draws()).isEqualTo(80);
        });
        assertThat(estimate.config().draws()).hasValue(80);
        assertThat(estimate.isReliable()).isFalse();
        assertThat(estimate.warnings()).anySatisfy(w -> assertThat(w).contains("the standard error")
                .contains("above the target 2.0%").contains("step cap (maxStepsPerChain)"));
        assertThat(estimate.tuning().reproducible()).isTrue();
    }

    @Test
    void automaticDrawsStopAtTheTimeLimitAndTheEstimateIsNotReproducible() {
        // A target of 0.1% would take millions of draws: the time limit ends the rounds after the first.
        LlcConfig config = fastMixing().burnInSteps(20).targetRelativeError(0.001).timeLimit(Duration.ofMillis(1))
                .build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(1, 1));

        assertThat(estimate.tuning().drawsStop()).isEqualTo(DrawsStop.TIME_LIMIT);
        assertThat(estimate.tuning().reproducible()).isFalse();
        assertThat(estimate.isReliable()).isFalse();
        assertThat(estimate.warnings()).anySatisfy(w -> assertThat(w).contains("the standard error")
                .contains("time limit"));
        assertThat(estimate.chains().get(0).steps()).isLessThan(config.maxStepsPerChain());
    }

    @Test
    void automaticBurnInLastsUntilTheTracesAreStationary() {
        // From the centre the loss rises to its equilibrium within about 1 / (eps (nBeta h + gamma)) steps: 2 with
        // the fast sampler, 1000 with a step size 500 times smaller, which needs a longer burn-in.
        LossSurface surface = AnalyticSurfaces.quadratic(EIGHT);
        LlcConfig.Builder config = fastMixing().draws(100);

        LlcEstimate fast = new LlcEstimator(config.build()).estimate(surface);
        LlcEstimate slow = new LlcEstimator(config.stepSize(1e-5).build()).estimate(surface);

        assertThat(fast.tuning().burnIn()).startsWith("stationary after " + Chains.FIRST_BURN_IN + " steps");
        assertThat(fast.config().burnInSteps()).hasValue(Chains.FIRST_BURN_IN);
        assertThat(fast.tuning().automatic()).containsExactly(Setting.BURN_IN_STEPS);
        assertThat(fast.chains()).allSatisfy(c -> assertThat(c.steps()).isEqualTo(Chains.FIRST_BURN_IN + 100));
        assertThat(slow.tuning().burnIn()).startsWith("stationary after");
        assertThat(slow.config().burnInSteps().getAsInt()).as(slow.tuning().burnIn())
                .isGreaterThan(Chains.FIRST_BURN_IN);
    }

    @Test
    void aTimeLimitEndsAnAutomaticBurnInThatIsNotYetStationaryAndTheEstimateIsFlagged() {
        // The slow sampler needs about 1000 steps to relax; its first 256 steps (4 chains) take well over the
        // millisecond allowed, so the burn-in stops there instead of doubling, and the draws take one round of the
        // fewest an estimate needs.
        LlcConfig config = fastMixing().stepSize(1e-5).timeLimit(Duration.ofMillis(1)).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(EIGHT));

        assertThat(estimate.tuning().stationary()).isFalse();
        assertThat(estimate.tuning().burnIn()).startsWith("not stationary after " + Chains.FIRST_BURN_IN
                + " steps, when the time limit PT0.001S ran out");
        assertThat(estimate.tuning().drawsStop()).isEqualTo(DrawsStop.TIME_LIMIT);
        assertThat(estimate.chains()).allSatisfy(c -> assertThat(c.draws()).isEqualTo(LlcEstimator.FEWEST_TIMED_DRAWS));
        assertThat(estimate.isReliable()).isFalse();
        assertThat(estimate.warnings()).anySatisfy(w -> assertThat(w).contains("not stationary after the burn-in"));
    }

    @Test
    void automaticBurnInAndDrawsMatchTheExactFiniteStepValueOfTheQuadratic() {
        double[] curvatures = {0.5, 1, 1.5, 2, 2, 1, 0};
        double eps = 4e-3;
        // Plain SGLD, whose step-size bias the estimate has to resolve (the default sampler has none here).
        LlcConfig config = fastMixing().stepSize(eps).targetRelativeError(0.01).maxStepsPerChain(50_000)
                .sampler(Sampler.SGLD).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(curvatures));

        double exact = ExactValues.quadratic(curvatures, 100, 1, eps);
        double withoutStepBias = ExactValues.quadratic(curvatures, 100, 1, 1e-12);
        assertThat(estimate.tuning().burnIn()).startsWith("stationary");
        assertThat(estimate.tuning().drawsStop()).isEqualTo(DrawsStop.TARGET_REACHED);
        assertThat(estimate.standardError()).as("%s", estimate).isLessThanOrEqualTo(0.02 * exact);
        assertThat(Math.abs(estimate.mean() - exact)).as("|%s - exact %s| within 3 standard errors (%s)",
                estimate.mean(), exact, estimate.standardError()).isLessThanOrEqualTo(3 * estimate.standardError());
        assertThat(exact - withoutStepBias).as("the step-size bias is resolved, not within the error")
                .isGreaterThan(3 * estimate.standardError());
        assertThat(Arrays.stream(curvatures).filter(h -> h > 0).count()).isEqualTo(6);
    }

    @Test
    void atCalibratedSettingsTheBurnInCoversTheValleysRelaxationTimeOnTopOfTheStepCap() {
        LlcEstimate estimate = calibratedAtWeakLocalization(30_000);

        LlcConfig resolved = estimate.config();
        long relaxation = (long) relaxation(resolved);
        long valley = Math.min(relaxation, 30_000);
        assertThat(relaxation).as("the automatic grid's 1 / (eps gamma)").isGreaterThan(10_000);
        assertThat(estimate.tuning().burnIn()).as("%s", estimate).contains("to spread along the valleys");
        assertThat(resolved.burnInSteps().getAsInt()).isGreaterThanOrEqualTo((int) valley);
        assertThat(resolved.maxStepsPerChain()).as("the cap resolved is the one set").isEqualTo(30_000);
        assertThat(estimate.chains()).allSatisfy(c -> assertThat(c.steps()).isGreaterThan(valley)
                .isLessThanOrEqualTo(30_000 + valley));
        assertThat(estimate.warnings()).noneSatisfy(w -> assertThat(w).contains("spread along the valleys"));
    }

    @Test
    void aBurnInUnderAThirdOfTheValleysRelaxationTimeIsFlagged() {
        LlcEstimate estimate = calibratedAtWeakLocalization(2_000);

        assertThat(estimate.config().burnInSteps().getAsInt()).isLessThan((int) (relaxation(estimate.config()) / 3));
        assertThat(estimate.isReliable()).isFalse();
        assertThat(estimate.warnings()).anySatisfy(w -> assertThat(w).contains("under a third of the")
                .contains("spread along the valleys").contains("raise maxStepsPerChain"));
    }

    /**
     * An estimate whose step size is calibrated at gamma = 0.2, where 1 / (eps gamma) is about 10,000-20,000 steps:
     * the time a flat direction, held only by the localization, would need to spread (the estimator cannot tell
     * that this quadratic has none).
     */
    private static LlcEstimate calibratedAtWeakLocalization(long maxStepsPerChain) {
        LlcConfig config = new LlcConfig.Builder().nBeta(100).localization(0.2).chains(3).targetRelativeError(0.05)
                .maxStepsPerChain(maxStepsPerChain).threads(1).seed(9).build();
        LlcEstimator estimator = new LlcEstimator(config);
        LossSurface surface = AnalyticSurfaces.quadratic(0.5, 1, 2);
        return estimator.estimate(surface, estimator.calibrate(surface));
    }

    private static double relaxation(LlcConfig resolved) {
        return 1 / (resolved.stepSize().getAsDouble() * resolved.localization().getAsDouble());
    }

    @Test
    void handSetStepAndLocalizationGetNoValleyBurnIn() {
        // 1 / (eps gamma) = 222,222 steps: the floor would show, and so would its flag.
        LlcConfig config = fastMixing().localization(0.001).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(0.5, 1, 2, 0));

        assertThat(estimate.tuning().burnIn()).startsWith("stationary").doesNotContain("valleys");
        assertThat(estimate.config().burnInSteps().getAsInt()).isLessThan(20_000);
        assertThat(estimate.warnings()).noneSatisfy(w -> assertThat(w).contains("valleys"));
    }
}
