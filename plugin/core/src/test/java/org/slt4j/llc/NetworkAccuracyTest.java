package org.slt4j.llc;

import static org.slt4j.llc.AnalyticAccuracyTest.assertWithinStandardErrors;

import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testkit.DeepLinearNetworks;
import org.slt4j.testkit.ExactValues;

/**
 * The estimator on real DL4J networks against exact learning coefficients: reduced rank regression (Aoyagi and
 * Watanabe 2005) and deep linear networks (Aoyagi 2024) at a deepest-stratum true parameter, noiseless teacher
 * data, MSE loss. nBeta = n / ln n for a training set of n = 10,000; the estimator samples on 2,000 of those
 * examples.
 *
 * <p>The chains start at w* and must relax along the valley's flat directions, which only the localization holds,
 * with a relaxation time of 1 / (eps gamma) = 10,000 steps here, before their draws count: the burn-in is two of
 * those. A deep linear network 3-3-3-3 of rank 1 (exact 4) was tested here with a burn-in of 500 steps and 8 chains:
 * its estimate averaged 3.36 over ten seeds and 3.33 over ten seeds of another Gaussian stream, and of those twenty
 * only this test's seed came within three standard errors. With a burn-in of 20,000 steps it averaged 4.06 over
 * four seeds (3.98 to 4.14), but one of the 8 longer chains then diverged at this fixed step size, having drifted to
 * where the loss is stiffer: that network is left to the default path, which measures the step's load where the
 * chains end and lowers the step ({@code DefaultPathAccuracyTest} and the suite of docs/accuracy.md).
 *
 * <p>The step size biases the estimate upward, in proportion to the step. At eps = 1e-4 the reduced rank
 * regression 5-4-3 of rank 2 (exact 7) averaged 7.42 over ten seeds, every one above 7 and five more than three
 * standard errors above, and the deep linear network 4-3-2-3 (exact 4) averaged 4.23 over five: this test's seed
 * passed them by luck. At eps = 5e-5 (twice the steps) the reduced rank regression averaged 7.22. Those two
 * therefore run at eps = 2.5e-5 with four times the steps (the same Langevin time), where over eight seeds the
 * regression averaged 7.02 (every seed within 2 standard errors) and the deep linear network 3.88 (-3%, every seed
 * within 2.1 standard errors). The other two stay at eps = 1e-4: over five seeds the 3-3-3 regression averaged 4.06
 * (exact 4) and the 4-2-9 one 7.63 (exact 7.5), within a standard error of the exact values. The RMSProp-SGLD
 * cases averaged 3.96 (the regression) and 4.01 (the deep linear network) over five seeds, every seed within 2.1
 * standard errors.
 *
 * <p>Those numbers were plain SGLD's. With the default Leimkuhler-Matthews step, which has no step-size bias on
 * quadratic directions, the deep linear network 4-3-2-3 at eps = 2.5e-5 and gamma = 1 averaged 3.64 over eight
 * seeds (3.44 to 3.78, -9%; R-hat at most 1.02): what plain SGLD's step bias had hidden is the localization's, which
 * gamma = 1 makes large on this network's wide valley, and a weaker one would need chains longer than a test can
 * run (1 / (eps gamma) grows with it). So this test keeps the reduced rank regressions (two-layer deep linear
 * networks). The default path does not always catch that bias either: on the same network its weakest localization
 * (0.001 nBeta h, 2.1 here) gave 3.74 and 3.92 (flagged) and 3.67 (reported reliable, -8%) with estimator seeds 1
 * to 3 (docs/accuracy.md, "Known limits").
 */
class NetworkAccuracyTest {

    private static final int TRAINING_SET_SIZE = 10_000;
    /** Two relaxation times 1 / (eps gamma) of the flat directions, at eps = 1e-4 and gamma = 1. */
    private static final int BURN_IN = 20_000;
    /**
     * Enough for the chains' means to agree within a standard error of 5% of lambda: an estimate's draws are
     * correlated over about 65 steps here, so 1,500 gave about 23 independent draws per chain, and chain means 10% of
     * lambda apart.
     */
    private static final int DRAWS = 6_000;

    @ParameterizedTest(name = "widths {0}, rank {1}, step {3}")
    @CsvSource(delimiter = ';', value = {
        "3,3,3; 1; 4; 1e-4",       // reduced rank regression, case 1: lambda 4
        "5,4,3; 2; 4; 2.5e-5",     // reduced rank regression, case 1: lambda 7
        "4,2,9; 1; 4; 1e-4",       // reduced rank regression, case 2 (M + H < N + r): lambda 15/2
    })
    void deepLinearNetworksComeWithinTenPercentOfTheExactValue(String widthList, int rank, int chains, double eps) {
        int[] widths = Arrays.stream(widthList.split(",")).mapToInt(Integer::parseInt).toArray();
        MultiLayerNetwork net = DeepLinearNetworks.atRank(widths, rank, 1);
        // The same Langevin time (relaxation times 1 / (eps gamma)) at any step: the step counts scale with 1 / eps.
        int scale = (int) Math.round(1e-4 / eps);
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(TRAINING_SET_SIZE).stepSize(eps).localization(1)
                .chains(chains).burnInSteps(scale * BURN_IN).draws(scale * DRAWS).batchSize(2_000).seed(5).build();

        LlcEstimate estimate = new LlcEstimator(config)
                .estimate(NetworkSurfaces.of(net, DeepLinearNetworks.teacherData(net, 2_000, 2)));

        double exact = ExactValues.deepLinearNetwork(widths, rank);
        assertWithinStandardErrors(estimate, exact, 3, 0.05);
        assertWithin10Percent(estimate, exact);
    }

    @ParameterizedTest(name = "RMSProp-SGLD, widths {0}, rank {1}")
    @CsvSource(delimiter = ';', value = {
        "3,3,3; 1",     // reduced rank regression: lambda 4
        "4,3,2,3; 1",   // deep linear network, 3 layers: lambda 4
    })
    void rmsPropPreconditionedSgldAlsoComesWithinTenPercent(String widthList, int rank) {
        int[] widths = Arrays.stream(widthList.split(",")).mapToInt(Integer::parseInt).toArray();
        MultiLayerNetwork net = DeepLinearNetworks.atRank(widths, rank, 1);
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(TRAINING_SET_SIZE).sampler(Sampler.RMSPROP_SGLD)
                .stepSize(2e-3).localization(1).chains(4).burnInSteps(BURN_IN).draws(DRAWS).batchSize(2_000).seed(5)
                .build();

        LlcEstimate estimate = new LlcEstimator(config)
                .estimate(NetworkSurfaces.of(net, DeepLinearNetworks.teacherData(net, 2_000, 2)));

        double exact = ExactValues.deepLinearNetwork(widths, rank);
        assertWithinStandardErrors(estimate, exact, 3, 0.05);
        assertWithin10Percent(estimate, exact);
    }

    private static void assertWithin10Percent(LlcEstimate estimate, double exact) {
        org.assertj.core.api.Assertions.assertThat(estimate.mean())
                .as("estimate %s of exact %s", estimate, exact)
                .isBetween(0.9 * exact, 1.1 * exact);
    }
}
