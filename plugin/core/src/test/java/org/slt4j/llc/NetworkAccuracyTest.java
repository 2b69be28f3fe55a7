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
 */
class NetworkAccuracyTest {

    private static final int TRAINING_SET_SIZE = 10_000;

    @ParameterizedTest(name = "widths {0}, rank {1}")
    @CsvSource(delimiter = ';', value = {
        "3,3,3; 1; 4",     // reduced rank regression, case 1: lambda 4
        "5,4,3; 2; 4",     // reduced rank regression, case 1: lambda 7
        "4,2,9; 1; 4",     // reduced rank regression, case 2 (M + H < N + r): lambda 15/2
        "4,3,2,3; 1; 4",   // deep linear network, 3 layers: lambda 4
        "3,3,3,3; 1; 8",   // deep linear network, 3 layers, slower mixing: more chains. lambda 4
    })
    void deepLinearNetworksComeWithinTenPercentOfTheExactValue(String widthList, int rank, int chains) {
        int[] widths = Arrays.stream(widthList.split(",")).mapToInt(Integer::parseInt).toArray();
        MultiLayerNetwork net = DeepLinearNetworks.atRank(widths, rank, 1);
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(TRAINING_SET_SIZE).stepSize(1e-4).localization(1)
                .chains(chains).burnInSteps(500).draws(1500).batchSize(2_000).seed(5).build();

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
                .stepSize(2e-3).localization(1).chains(4).burnInSteps(500).draws(1500).batchSize(2_000).seed(5)
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
