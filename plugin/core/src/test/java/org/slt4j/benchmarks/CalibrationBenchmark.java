package org.slt4j.benchmarks;

import java.lang.management.ManagementFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slt4j.llc.Calibration;
import org.slt4j.llc.LlcCalibrator;
import org.slt4j.llc.LlcConfig;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testkit.DeepLinearNetworks;

/**
 * Cost of a calibration with the calibrator's defaults: SGLD steps and wall time, next to the cost of one
 * estimate with the chosen settings, on the accuracy suite's reduced rank regression and deep linear network.
 */
public final class CalibrationBenchmark {

    private CalibrationBenchmark() {
    }

    public static void main(String[] args) {
        System.out.printf("OMP_NUM_THREADS=%s, %d cores, load average %.2f%n", System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        int[][] cases = {{3, 3, 3, 1}, {4, 2, 9, 1}, {4, 3, 2, 3, 1}};
        for (int[] c : cases) {
            int[] widths = java.util.Arrays.copyOf(c, c.length - 1);
            MultiLayerNetwork net = DeepLinearNetworks.atRank(widths, c[c.length - 1], 1);
            LossSurface surface = NetworkSurfaces.of(net, DeepLinearNetworks.teacherData(net, 2_000, 2));
            LlcConfig base = new LlcConfig.Builder().trainingSetSize(10_000).batchSize(2_000).chains(4).burnInSteps(500)
                    .draws(1500).seed(5).build();
            Calibration calibration = new LlcCalibrator.Builder(base).build().calibrate(surface);
            long estimateSteps = base.chains() * (500L + 1500);
            System.out.printf("%s r=%d (d=%d): %d settings, %d SGLD steps, %.1f s; chosen %s; one estimate with "
                    + "the chosen settings: %d steps (calibration = %.1fx an estimate)%n",
                    java.util.Arrays.toString(widths), c[c.length - 1], surface.dimension(), calibration.rows().size(),
                    calibration.totalSteps(), calibration.wallTime().toMillis() / 1000.0,
                    calibration.recommended().map(r -> "eps " + r.stepSize() + ", gamma " + r.localization())
                            .orElse("none"), estimateSteps, (double) calibration.totalSteps() / estimateSteps);
        }
    }
}
