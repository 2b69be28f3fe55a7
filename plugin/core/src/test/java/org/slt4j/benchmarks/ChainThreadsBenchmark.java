package org.slt4j.benchmarks;

import java.lang.management.ManagementFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.slt4j.llc.Baseline;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;

/**
 * Two SGLD chains on one thread against the same two chains on two threads ({@code LlcConfig.threads}), every step a
 * PAIRED draw, on the small MLP of issue 16 (20-64-64-4, batch 64: the plain-Java fast path) and on a 784-256-256-10
 * MLP (batch 128: DL4J's passes). Reports wall-clock milliseconds per chain step (all chains' steps over the wall
 * time) and the speed-up of two threads; rounds interleave the two, medians summarize. Args: rounds, steps per chain.
 * Run with OMP_NUM_THREADS=1 on a quiet machine (see docs/benchmarks.md for the command).
 */
public final class ChainThreadsBenchmark {

    private ChainThreadsBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        System.out.printf("OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s, %d cores, load average %.2f%n",
                System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_CORETYPE"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| workload | 2 chains, 1 thread | 2 chains, 2 threads | speed-up |");
        System.out.println("|---|---:|---:|---:|");
        run("MLP 20-64-64-4, batch 64", 64, rounds, steps, 20, 64, 64, 4);
        run("MLP 784-256-256-10, batch 128", 128, rounds, Math.max(1, steps / 10), 784, 256, 256, 10);
        System.out.printf("load average at the end %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void run(String name, int batch, int rounds, int steps, int... widths) {
        MultiLayerNetwork net = BenchmarkNetworks.reluMlp(1, new Sgd(0.01), widths);
        DataSet data = BenchmarkNetworks.classes(2_048, widths[0], widths[widths.length - 1]);
        LossSurface surface = NetworkSurfaces.of(net, data);
        double[] one = new double[rounds];
        double[] two = new double[rounds];
        double[] speedUp = new double[rounds];
        SgldStepBenchmark.sgldStepMillis(surface, Baseline.PAIRED, batch, steps, 2, 2);
        for (int r = 0; r < rounds; r++) {
            one[r] = SgldStepBenchmark.sgldStepMillis(surface, Baseline.PAIRED, batch, steps, 2, 1);
            two[r] = SgldStepBenchmark.sgldStepMillis(surface, Baseline.PAIRED, batch, steps, 2, 2);
            speedUp[r] = one[r] / two[r];
        }
        System.out.printf("| %s | %.3f ms | %.3f ms | %.2fx (%.2f-%.2f) |%n", name, SgldStepBenchmark.median(one),
                SgldStepBenchmark.median(two), SgldStepBenchmark.median(speedUp), min(speedUp), max(speedUp));
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElseThrow();
    }
}
