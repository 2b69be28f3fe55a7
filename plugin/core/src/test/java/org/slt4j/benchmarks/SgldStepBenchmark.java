package org.slt4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.slt4j.llc.Baseline;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;

/**
 * Time per SGLD step versus a plain fit step on a 784-256-256-10 ReLU MLP (float32), batch 128, one chain on one
 * thread. Run with OMP_NUM_THREADS=1 (see docs/benchmarks.md for the command).
 */
public final class SgldStepBenchmark {

    private SgldStepBenchmark() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        MultiLayerNetwork net = BenchmarkNetworks.reluMlp(1, new Sgd(0.01), 784, 256, 256, 10);
        DataSet data = randomData(2_048, 1);
        DataSet batch = randomData(128, 2);
        LossSurface surface = NetworkSurfaces.of(net, data);
        System.out.printf("784-256-256-10 ReLU MLP, %d parameters, batch 128, OMP_NUM_THREADS=%s, %d cores, "
                + "load average %.2f%n", net.numParams(), System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        // Rounds interleave the variants so that background load hits them alike; medians summarize.
        double[] fits = new double[repeats];
        double[] sgld = new double[repeats];
        double[] paired = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            fits[r] = fitStepMillis(net, batch, steps);
            sgld[r] = sgldStepMillis(surface, Baseline.INIT, 128, steps);
            paired[r] = sgldStepMillis(surface, Baseline.PAIRED, 128, steps);
            System.out.printf("round %d: fit %.2f ms | SGLD step %.2f ms (%.2fx fit) | SGLD step + PAIRED baseline "
                    + "forward pass %.2f ms (+%.2f ms)%n", r + 1, fits[r], sgld[r], sgld[r] / fits[r], paired[r],
                    paired[r] - sgld[r]);
        }
        double[] ratios = new double[repeats];
        double[] extra = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            ratios[r] = sgld[r] / fits[r];
            extra[r] = paired[r] - sgld[r];
        }
        System.out.printf("median: fit %.2f ms, SGLD step %.2f ms, SGLD/fit %.2fx, PAIRED forward pass +%.2f ms%n",
                median(fits), median(sgld), median(ratios), median(extra));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double fitStepMillis(MultiLayerNetwork net, DataSet batch, int steps) {
        for (int i = 0; i < 20; i++) {
            net.fit(batch);
        }
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            net.fit(batch);
        }
        return (System.nanoTime() - start) / 1e6 / steps;
    }

    /**
     * Milliseconds per SGLD step of one chain on one thread, every step a draw (so PAIRED pays its forward pass at
     * every step). The estimate's fixed costs (full-data baseline, network copies) are measured with a one-step
     * estimate and subtracted.
     */
    static double sgldStepMillis(LossSurface surface, Baseline baseline, int batchSize, int steps) {
        return sgldStepMillis(surface, baseline, batchSize, steps, 1, 1);
    }

    /**
     * Wall-clock milliseconds per chain step with {@code chains} chains of {@code steps} draws each on
     * {@code threads} threads: the wall time over all chains' steps, so that with chains running in parallel it
     * falls below one chain's step time. Fixed costs are subtracted as above.
     */
    static double sgldStepMillis(LossSurface surface, Baseline baseline, int batchSize, int steps, int chains,
            int threads) {
        LlcConfig.Builder config = new LlcConfig.Builder().trainingSetSize(60_000).chains(chains).threads(threads)
                .batchSize(batchSize)
                .stepSize(1e-6).localization(100).burnInSteps(0).baseline(baseline);
        LlcEstimate fixed = new LlcEstimator(config.draws(1).build()).estimate(surface);
        LlcEstimate estimate = new LlcEstimator(config.draws(steps).build()).estimate(surface);
        return (estimate.wallTime().toNanos() - fixed.wallTime().toNanos()) / 1e6
                / (estimate.totalSteps() - fixed.totalSteps());
    }

    private static DataSet randomData(int examples, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, examples, 784);
        INDArray y = Nd4j.zeros(DataType.FLOAT, examples, 10);
        for (int i = 0; i < examples; i++) {
            y.putScalar(i, random.nextInt(10), 1);
        }
        return new DataSet(x, y);
    }
}
