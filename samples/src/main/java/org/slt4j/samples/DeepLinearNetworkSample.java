package org.slt4j.samples;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slt4j.llc.Calibration;
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
 * {@code deep-linear-networks.csv}), each with whether the library vouches for it, and the calibrator's sweep for the
 * first network.
 *
 * <p>Set-up, as in the library's accuracy tests: a true parameter in the deepest stratum, noiseless teacher data,
 * MSE loss, n = 2,000 examples, and the estimator's defaults: nothing is set but the training-set size. This sample
 * has no training run, so {@code --no-ui} and {@code --port} change nothing.
 */
public final class DeepLinearNetworkSample {
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
        System.out.println("Estimator: nothing set but the training-set size; step size, localization, burn-in and "
                + "draws automatic");

        StringBuilder csv = new StringBuilder("widths,rank,parameters,exact,estimate,standardError,relativeError,"
                + "reliable,stepSize,localization\n");
        System.out.printf("%n%-16s %6s %8s %8s %17s %10s %9s%n", "network", "d", "d/2", "exact", "estimate ± se",
                "rel. error", "reliable");
        for (int i = 0; i < shapes.size(); i++) {
            Shape shape = shapes.get(i);
            MultiLayerNetwork net = DeepLinearNetworks.atRank(shape.widths(), shape.rank(), 1);
            LossSurface surface = NetworkSurfaces.of(net, DeepLinearNetworks.teacherData(net, EXAMPLES, 2));
            LlcEstimator estimator = new LlcEstimator(new LlcConfig.Builder().trainingSetSize(EXAMPLES).build());
            Calibration calibration = estimator.calibrate(surface);
            if (i == 0) {
                System.out.printf("Calibration of %s (what every estimate below does first):%n%s%n", shape,
                        calibration.table());
            }
            Row row = new Row(shape, net.numParams(),
                    ExactValues.deepLinearNetwork(shape.widths(), shape.rank()),
                    estimator.estimate(surface, calibration));
            LlcConfig chosen = row.estimate().config();
            System.out.printf(Locale.ROOT, "%-16s %6d %8.1f %8.2f %9.2f ± %5.2f %+9.1f%% %9s%n", shape,
                    row.parameters(), row.parameters() / 2.0, row.exact(), row.estimate().mean(),
                    row.estimate().standardError(), 100 * row.relativeError(),
                    row.estimate().isReliable() ? "yes" : "NO");
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.4f,%.4f,%.4f,%s,%.3g,%.3g%n",
                    Arrays.stream(shape.widths()).mapToObj(Integer::toString).collect(Collectors.joining("-")),
                    shape.rank(), row.parameters(), row.exact(), row.estimate().mean(),
                    row.estimate().standardError(), row.relativeError(), row.estimate().isReliable(),
                    chosen.stepSize().getAsDouble(), chosen.localization().getAsDouble()));
        }
        Path table = run.write("deep-linear-networks.csv", csv);
        System.out.printf("%nA singular model has LLC below d/2; the smaller the true rank, the further below.%n"
                + "Table written to %s%n", table.toAbsolutePath());
        run.finish();
    }
}
