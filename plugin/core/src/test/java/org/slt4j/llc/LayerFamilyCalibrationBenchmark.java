package org.slt4j.llc;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slt4j.surface.LossSurface;
import org.slt4j.testing.LayerFamilies;
import org.slt4j.testing.LayerFamilies.Family;

/**
 * The real calibrator on the layer-family networks of {@code LayerFamilyEstimatesTest} (convolution with batch
 * normalization, LSTM, SimpleRnn graph, embeddings; dropout in each), which checks the plateau invariant in CI with
 * the calibrator's step rule at eps0 and eps0 / 2 only, since a calibration costs minutes per family. For each
 * family: the network trained on generated data, the localization nBeta h given (as in the test), and the step size
 * swept by {@link LlcCalibrator} from 2 eps0 down with the given tolerance and row target (looser than the
 * defaults, 0.05 and 0.03, which would take about nine times the steps). Prints the table and whether the
 * invariants hold: a plateau was found; the estimates at its step size eps and at eps / 2 are positive, within d/2 + 3
 * SE, and agree within 3 combined standard errors; the network is bit-identical afterwards.
 *
 * <p>Arguments: [tolerance (default 0.15)] [row target (default 0.09: the compared settings' standard error)]
 * [families (default all five)]. One thread. In this package for the curvature probe the calibrator itself uses.
 */
public final class LayerFamilyCalibrationBenchmark {
    private static final int EXAMPLES = 120;

    private LayerFamilyCalibrationBenchmark() {
    }

    public static void main(String[] args) {
        double tolerance = args.length > 0 ? Double.parseDouble(args[0]) : 0.15;
        double rowTarget = args.length > 1 ? Double.parseDouble(args[1]) : 0.09;
        List<Family> families = args.length > 2 ? Arrays.stream(args, 2, args.length).map(Family::valueOf).toList()
                : List.of(Family.CNN, Family.LSTM, Family.SIMPLE_RNN_GRAPH, Family.EMBEDDING,
                        Family.EMBEDDING_SEQUENCE);
        System.out.printf(Locale.ROOT, "tolerance %.2f, row target %.2f, %d cores, OMP_NUM_THREADS=%s, load "
                + "average %.2f at the start%n", tolerance, rowTarget, Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (Family family : families) {
            run(family, tolerance, rowTarget);
        }
    }

    private static void run(Family family, double tolerance, double rowTarget) {
        LayerFamilies.Trained trained = LayerFamilies.trained(family, EXAMPLES, 3);
        Model network = trained.network();
        INDArray params = network.params().dup();
        INDArray updaterState = LayerFamilies.updaterState(network).dup();
        LossSurface surface = trained.surface();
        LlcConfig base = new LlcConfig.Builder().trainingSetSize(EXAMPLES).chains(4).batchSize(32).threads(1)
                .seed(1).build();
        double gamma = base.nBeta() * Curvature.top(surface, base.seed());

        long start = System.nanoTime();
        Calibration calibration = new LlcCalibrator.Builder(base.toBuilder().localization(gamma).build())
                .tolerance(tolerance).rowTarget(rowTarget).build().calibrate(surface);
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf(Locale.ROOT, "%n%s: d = %d, %.1f s, %d SGLD steps%n%s", family, surface.dimension(),
                seconds, calibration.totalSteps(), calibration.table());
        String verdict = calibration.recommended().map(chosen -> invariants(calibration,
                chosen.stepSize().getAsDouble(), surface.dimension())).orElse("no plateau");
        boolean untouched = network.params().equals(params)
                && LayerFamilies.updaterState(network).equals(updaterState);
        System.out.printf("%s: %s; network %s%n", family, verdict, untouched ? "bit-identical" : "CHANGED");
    }

    /** Whether the plateau's estimates at eps and eps / 2 are bounded and agree within 3 combined SEs. */
    private static String invariants(Calibration calibration, double eps, long dimension) {
        Calibration.Row atEps = row(calibration, eps);
        Calibration.Row atHalf = row(calibration, eps / 2);
        double z = (atEps.llc() - atHalf.llc()) / Math.hypot(atEps.standardError(), atHalf.standardError());
        boolean bounded = List.of(atEps, atHalf).stream().allMatch(r -> r.llc() > 0
                && r.llc() <= dimension / 2.0 + 3 * r.standardError());
        return String.format(Locale.ROOT, "plateau at eps %.3g: %.4f +- %.4f against %.4f +- %.4f at eps / 2, "
                + "%.2f combined SE apart (%s), %s within (0, d/2 + 3 SE]", eps, atEps.llc(), atEps.standardError(),
                atHalf.llc(), atHalf.standardError(), z, Math.abs(z) <= 3 ? "holds" : "FAILS",
                bounded ? "both" : "NOT both");
    }

    private static Calibration.Row row(Calibration calibration, double stepSize) {
        return calibration.rows().stream().filter(r -> Math.abs(r.stepSize() / stepSize - 1) < 1e-9).findFirst()
                .orElseThrow();
    }
}
