package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slt4j.surface.AnalyticSurfaces;
import org.slt4j.surface.LossSurface;
import org.slt4j.testkit.ExactValues;

/**
 * The sampler against exact values ({@link org.slt4j.testkit.ExactValues}: the quadratic potential, w^(2k), normal
 * crossings). Each test allows a few standard errors of the estimate and also requires the standard error to be
 * small, so a wrong sampler cannot pass by being noisy.
 */
class AnalyticAccuracyTest {

    /** 12 curved directions with curvatures 0.5..2, then 8 exactly flat ones. */
    private static final double[] CURVATURES = new double[20];

    static {
        for (int i = 0; i < 12; i++) {
            CURVATURES[i] = 0.5 + 1.5 * i / 11;
        }
    }

    @ParameterizedTest(name = "{3} nBeta={0} gamma={1} eps={2}")
    @CsvSource({
        "100, 1, 0.001, SGLD",   // small step: close to the 6 curved-direction halves
        "1000, 50, 0.0001, SGLD", // localization bias visible: nBeta*h/(nBeta*h+gamma)
        "100, 1, 0.009, SGLD",   // large step: the step-size bias adds about 30%
        "100, 1, 0.001, LEIMKUHLER_MATTHEWS",
        "1000, 50, 0.0001, LEIMKUHLER_MATTHEWS",
        "100, 1, 0.009, LEIMKUHLER_MATTHEWS", // large step: no step-size bias
    })
    void quadraticMatchesTheExactFiniteStepValue(double nBeta, double gamma, double eps, Sampler sampler) {
        LlcConfig config = new LlcConfig.Builder().nBeta(nBeta).localization(gamma).stepSize(eps).chains(8)
                .burnInSteps(1000).draws(4000).seed(7).sampler(sampler).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(CURVATURES));

        double exact = ExactValues.quadratic(CURVATURES, nBeta, gamma, eps, sampler);
        assertWithinStandardErrors(estimate, exact, 4, 0.03);
    }

    @Test
    void theDefaultSamplerHasNoStepSizeBiasWherePlainSgldIsThirtyPercentHigh() {
        LlcConfig config = new LlcConfig.Builder().nBeta(100).localization(1).stepSize(0.009).chains(8)
                .burnInSteps(1000).draws(4000).seed(8).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(CURVATURES));

        double unbiased = ExactValues.quadratic(CURVATURES, 100, 1, 0);
        double plainSgld = ExactValues.quadratic(CURVATURES, 100, 1, 0.009, Sampler.SGLD);
        assertThat(config.sampler()).isEqualTo(Sampler.LEIMKUHLER_MATTHEWS);
        assertWithinStandardErrors(estimate, unbiased, 4, 0.03);
        assertThat(plainSgld - unbiased).as("plain SGLD's bias, against the estimate's error %s",
                estimate.standardError()).isGreaterThan(8 * estimate.standardError());
    }

    @Test
    void largeStepBiasIsResolvedNotJustTolerated() {
        double exactLarge = ExactValues.quadratic(CURVATURES, 100, 1, 0.009);
        double exactSmall = ExactValues.quadratic(CURVATURES, 100, 1, 0.001);
        assertThat(exactLarge / exactSmall).as("the settings differ by the step-size bias").isGreaterThan(1.25);
    }

    @Test
    void aStepTooLargeForTheCurvatureWhereTheChainsAreIsMeasuredAndFlagged() {
        // On the quadratic the Hessian is the same everywhere: the load is eps (nBeta h_max + gamma) exactly.
        // The default sampler's bound is 2.0 (half its limit of stability), plain SGLD's 0.5 (its bias reaches 14%).
        LlcConfig large = new LlcConfig.Builder().nBeta(100).localization(1).stepSize(0.0125).chains(4)
                .burnInSteps(500).draws(1000).seed(7).build();
        LlcConfig plainSgld = large.toBuilder().stepSize(0.009).sampler(Sampler.SGLD).build();
        LlcConfig small = large.toBuilder().stepSize(0.0005).build();

        LlcEstimate flagged = new LlcEstimator(large).estimate(AnalyticSurfaces.quadratic(CURVATURES));
        LlcEstimate flaggedPlain = new LlcEstimator(plainSgld).estimate(AnalyticSurfaces.quadratic(CURVATURES));
        LlcEstimate vouched = new LlcEstimator(small).estimate(AnalyticSurfaces.quadratic(CURVATURES));

        assertThat(flagged.tuning().stepLoad()).isCloseTo(0.0125 * (100 * 2 + 1), withinPercentage(2));
        assertThat(flagged.warnings()).anySatisfy(w -> assertThat(w).contains("eps (nBeta h + gamma) = 2.51 > 2.0"));
        assertThat(flagged.isReliable()).isFalse();
        assertThat(flaggedPlain.warnings()).anySatisfy(w -> assertThat(w)
                .contains("eps (nBeta h + gamma) = 1.81 > 0.5").contains("above 14%"));
        assertThat(flaggedPlain.isReliable()).isFalse();
        assertThat(vouched.tuning().stepLoad()).isCloseTo(0.0005 * (100 * 2 + 1), withinPercentage(2));
        assertThat(vouched.warnings()).noneSatisfy(w -> assertThat(w).contains("stiffer"));
    }

    @ParameterizedTest(name = "w^{0}")
    @CsvSource({"1, 0.5", "2, 0.25", "3, 0.16666666666666666"})
    void monomialGivesOneOverTwoKAtEveryTemperature(int k, double exact) {
        // The flat w^6 mixes slowly: the draws continue until the standard error is 2.5% of the estimate. With this
        // seed w^6 reaches it after 126,000 steps per chain; the cap leaves room for other seeds and noise streams
        // (one needed more than 200,000), so that the target, not the cap, ends the draws.
        LlcConfig config = new LlcConfig.Builder().nBeta(100).localization(0).stepSize(k == 1 ? 1e-4 : 5e-4)
                .chains(8).burnInSteps(2000).targetRelativeError(0.025).maxStepsPerChain(400_000)
                .stepsBetweenDraws(10).seed(11).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.monomial(k));

        assertThat(estimate.tuning().drawsStop()).as("%s", estimate).isEqualTo(LlcEstimate.DrawsStop.TARGET_REACHED);
        assertWithinStandardErrors(estimate, exact, 4, 0.03);
    }

    @ParameterizedTest(name = "x^{0} y^{1} at t=100")
    @CsvSource({"1, 1, 0.348", "1, 2, 0.204"})
    void normalCrossingMatchesTheFiniteTemperatureValue(int a, int b, double exact) {
        LossSurface surface = AnalyticSurfaces.normalCrossing(a, b);
        LlcConfig config = new LlcConfig.Builder().nBeta(100).localization(0).stepSize(5e-4).chains(8)
                .burnInSteps(2000).draws(5000).stepsBetweenDraws(10).seed(3).build();

        LlcEstimate estimate = new LlcEstimator(config).estimate(surface);

        // The table gives three decimals: allow its rounding on top of the statistical error.
        assertWithinStandardErrors(estimate, exact, 4, 0.05, 0.0005);
    }

    static void assertWithinStandardErrors(LlcEstimate estimate, double exact, double k, double maxRelativeSe) {
        assertWithinStandardErrors(estimate, exact, k, maxRelativeSe, 0);
    }

    static void assertWithinStandardErrors(LlcEstimate estimate, double exact, double k, double maxRelativeSe,
            double rounding) {
        assertThat(estimate.divergedChains()).as("diverged chains in %s", estimate).isZero();
        assertThat(estimate.standardError()).as("standard error of %s", estimate)
                .isLessThan(maxRelativeSe * Math.abs(exact));
        assertThat(Math.abs(estimate.mean() - exact))
                .as("|%s - exact %s| within %s standard errors (%s)", estimate.mean(), exact, k,
                        estimate.standardError())
                .isLessThanOrEqualTo(k * estimate.standardError() + rounding);
    }
}
