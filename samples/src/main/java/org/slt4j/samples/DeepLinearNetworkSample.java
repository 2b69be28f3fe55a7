package org.slt4j.samples;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slt4j.llc.Calibration;
import org.slt4j.llc.LlcCalibrator;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testkit.DeepLinearNetworks;
import org.slt4j.testkit.ExactValues;

/**
 * How accurate is the estimator? Deep linear networks are singular models whose learning coefficient is known
 * exactly (Aoyagi 2024), so estimates on real DL4J networks can be compared with the truth. The sample prints a
 * table of exact values, estimates with standard errors and relative errors (also written as
 * {@code deep-linear-networks.csv}); in full mode it then lets the {@link LlcCalibrator} choose the step size and
 * localization for the first network and prints its sweep.
 *
 * <p>Set-up, as in the library's accuracy tests: a true parameter in the deepest stratum, noiseless teacher data,
 * MSE loss, nBeta = n / ln n for n = 10,000, SGLD on 2,000 examples in full batches. This sample has no training
 * run, so {@code --no-ui} and {@code --port} change nothing.
 */
public final class DeepLinearNetworkSample {
    private static final int TRAINING_SET_SIZE = 10_000;
    private static final int EXAMPLES = 2_000;

    private DeepLinearNetworkSample() {
    }

    /** A network shape: widths from input to output and the rank of the true product. */
    record Shape(int[] widths, int rank) {
        @Override
        public String toString() {
            return Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining("-")) + ", r=" + rank;
        }
    }

    /** One row of the table. */
    record Row(Shape shape, long parameters, double exact, LlcEstimate estimate) {
        double relativeError() {
            return (estimate.mean() - exact) / exact;
        }
    }

    /**
     * Runs the sample.
     *
     * @param args see {@link SampleRun}
     */
    public static void main(String[] args) {
        SampleRun run = SampleRun.withoutUi("deep-linear-networks", args);
        List<Shape> shapes = run.quick()
                ? List.of(new Shape(new int[] {3, 3, 3}, 1), new Shape(new int[] {5, 4, 3}, 2))
                : List.of(new Shape(new int[] {3, 3, 3}, 1), new Shape(new int[] {5, 4, 3}, 2),
                        new Shape(new int[] {4, 2, 9}, 1), new Shape(new int[] {4, 3, 2, 3}, 1),
                        new Shape(new int[] {3, 3, 3, 3}, 1));
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(TRAINING_SET_SIZE).stepSize(1e-4).localization(1)
                .chains(4).burnInSteps(500).draws(run.quick() ? 1_000 : 1_500)
                .batchSize(EXAMPLES).seed(5).build();
        System.out.println("Estimator: " + config);

        StringBuilder csv = new StringBuilder("widths,rank,parameters,exact,estimate,standardError,relativeError\n");
        System.out.printf("%n%-16s %6s %8s %8s %17s %10s%n", "network", "d", "d/2", "exact", "estimate ± se",
                "rel. error");
        for (int i = 0; i < shapes.size(); i++) {
            Shape shape = shapes.get(i);
            MultiLayerNetwork net = DeepLinearNetworks.atRank(shape.widths(), shape.rank(), 1);
            LossSurface surface = NetworkSurfaces.of(net, DeepLinearNetworks.teacherData(net, EXAMPLES, 2));
            Row row = new Row(shape, net.numParams(),
                    ExactValues.deepLinearNetwork(shape.widths(), shape.rank()),
                    new LlcEstimator(config).estimate(surface));
            System.out.printf(Locale.ROOT, "%-16s %6d %8.1f %8.2f %9.2f ± %5.2f %+9.1f%%%n", shape,
                    row.parameters(), row.parameters() / 2.0, row.exact(), row.estimate().mean(),
                    row.estimate().standardError(), 100 * row.relativeError());
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.4f,%.4f,%.4f%n",
                    Arrays.stream(shape.widths()).mapToObj(Integer::toString).collect(Collectors.joining("-")),
                    shape.rank(), row.parameters(), row.exact(), row.estimate().mean(),
                    row.estimate().standardError(), row.relativeError()));
        }
        Path table = run.write("deep-linear-networks.csv", csv);
        System.out.printf("%nA singular model has LLC below d/2; the smaller the true rank, the further below.%n"
                + "Table written to %s%n", table.toAbsolutePath());

        if (!run.quick()) {
            Shape first = shapes.get(0);
            MultiLayerNetwork net = DeepLinearNetworks.atRank(first.widths(), first.rank(), 1);
            LossSurface surface = NetworkSurfaces.of(net, DeepLinearNetworks.teacherData(net, EXAMPLES, 2));
            System.out.printf("%nCalibrating step size and localization for %s instead of setting them:%n", first);
            Calibration calibration = new LlcCalibrator.Builder(config).build().calibrate(surface);
            System.out.print(calibration.table());
            calibration.recommended().ifPresent(chosen -> {
                LlcEstimate estimate = new LlcEstimator(chosen).estimate(surface);
                System.out.printf(Locale.ROOT, "calibrated estimate %.2f ± %.2f, exact %.2f%n", estimate.mean(),
                        estimate.standardError(), ExactValues.deepLinearNetwork(first.widths(),
                                first.rank()));
            });
        }
        run.finish();
    }
}
