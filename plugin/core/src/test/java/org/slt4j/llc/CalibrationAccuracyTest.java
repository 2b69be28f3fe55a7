package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testkit.DeepLinearNetworks;
import org.slt4j.testkit.ExactValues;

/**
 * With calibration on and no hand-set step size or localization, the estimator comes within 10% of the exact
 * learning coefficient of reduced rank regressions (Aoyagi and Watanabe 2005) and deep linear networks (Aoyagi 2024).
 */
class CalibrationAccuracyTest {

    @ParameterizedTest(name = "widths {0}, rank {1}")
    @CsvSource(delimiter = ';', value = {
        "3,3,3; 1",     // reduced rank regression: lambda 4
        "4,2,9; 1",     // reduced rank regression, case 2: lambda 15/2
        "4,3,2,3; 1",   // deep linear network, 3 layers: lambda 4
    })
    void calibratedEstimatesComeWithinTenPercentOfTheExactValue(String widthList, int rank) {
        int[] widths = Arrays.stream(widthList.split(",")).mapToInt(Integer::parseInt).toArray();
        MultiLayerNetwork net = DeepLinearNetworks.atRank(widths, rank, 1);
        LossSurface surface = NetworkSurfaces.of(net, DeepLinearNetworks.teacherData(net, 2_000, 2));
        LlcConfig base = new LlcConfig.Builder().trainingSetSize(10_000).batchSize(2_000).chains(4).burnInSteps(500)
                .draws(1500).seed(5).build();

        Calibration calibration = new LlcCalibrator.Builder(base).build().calibrate(surface);
        LlcConfig chosen = calibration.recommended().orElseThrow(() -> new AssertionError(calibration.table()));
        LlcEstimate estimate = new LlcEstimator(chosen).estimate(surface);

        double exact = ExactValues.deepLinearNetwork(widths, rank);
        assertThat(estimate.mean()).as("calibrated estimate %s of exact %s after%n%s", estimate, exact,
                calibration.table()).isBetween(0.9 * exact, 1.1 * exact);
        assertThat(estimate.standardError()).isLessThan(0.05 * exact);
        assertThat(calibration.totalSteps()).isPositive();
    }
}
