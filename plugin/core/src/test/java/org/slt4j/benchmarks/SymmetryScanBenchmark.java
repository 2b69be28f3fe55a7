package org.slt4j.benchmarks;

import java.util.Arrays;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.slt4j.symmetry.SymmetryScanner;
import org.slt4j.symmetry.SymmetrySnapshot;

/**
 * Cost of {@link SymmetryScanner#scan}: the 784-1024-1024-10 ReLU MLP with a probe of 256 (goal: under 50 ms on
 * one thread), then a 784-h-10 MLP for h = 256..4096 to show how the scan scales with width. Reports medians.
 *
 * <p>Breakdown: "forward" is the private network plus a test-mode forward pass (what every scan pays), "no
 * spectra" adds the per-layer diagnostics including duplicate detection (projection prefilter plus exact Gram of
 * the surviving rows), "full" adds the singular values. The deep network is measured at initialization and again
 * after 300 Adam steps, to show the prefilter on weights that training has moved. Run with OMP_NUM_THREADS=1
 * (see docs/benchmarks.md for the command).
 */
public final class SymmetryScanBenchmark {

    private SymmetryScanBenchmark() {
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", cores="
                + Runtime.getRuntime().availableProcessors());
        warmUp();
        MultiLayerNetwork deep = BenchmarkNetworks.reluMlp(42, new Adam(1e-3), 784, 1024, 1024, 10);
        report("784-1024-1024-10, probe 256", deep, 10);
        train(deep, 300);
        report("  same, after 300 Adam steps", deep, 10);
        for (int h = 256; h <= 4096; h *= 2) {
            report("784-" + h + "-10, probe 256", BenchmarkNetworks.reluMlp(42, new Sgd(0.01), 784, h, 10),
                    h >= 2048 ? 3 : 7);
        }
    }

    /** Fits a random linear teacher's labels on Gaussian inputs, batch 128, so the weights move off their init. */
    private static void train(MultiLayerNetwork net, int steps) {
        INDArray teacher = Nd4j.randn(DataType.FLOAT, 784, 10);
        for (int i = 0; i < steps; i++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, 128, 784);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 128, 10);
            long[] argmax = x.mmul(teacher).argMax(1).toLongVector();
            for (int r = 0; r < 128; r++) {
                labels.putScalar(r, argmax[r], 1.0);
            }
            net.fit(x, labels);
        }
    }

    private static void report(String label, MultiLayerNetwork net, int reps) {
        INDArray probe = Nd4j.rand(net.getLayerWiseConfigurations().getDataType(), 256, 784).subi(0.5);
        SymmetryScanner full = SymmetryScanner.defaults();
        SymmetryScanner cheap = new SymmetryScanner.Builder().spectra(false).build();
        double forward = medianMillis(reps, () -> {
            MultiLayerNetwork copy = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
            copy.init(net.params(), false);
            return copy.feedForward(probe.dup(), false);
        });
        double noSpectra = medianMillis(reps, () -> cheap.scan(net, probe, 0));
        double all = medianMillis(reps, () -> full.scan(net, probe, 0));
        SymmetrySnapshot s = full.scan(net, probe, 0);
        System.out.printf("%-28s forward %8.1f ms | no spectra %8.1f ms | full %8.1f ms | d=%d k=%d%n", label,
                forward, noSpectra, all, s.totalParameters(), s.removableDirections());
    }

    /** Scans a mid-size network for a few seconds so that the first measured row does not pay for JIT and pools. */
    private static void warmUp() {
        MultiLayerNetwork net = BenchmarkNetworks.reluMlp(7, new Sgd(0.01), 784, 512, 512, 10);
        INDArray probe = Nd4j.rand(DataType.FLOAT, 256, 784).subi(0.5);
        SymmetryScanner scanner = SymmetryScanner.defaults();
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            scanner.scan(net, probe, 0);
        }
    }

    private static double medianMillis(int reps, Supplier<?> task) {
        for (int i = 0; i < 3; i++) {
            task.get();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            task.get();
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }
}
