package org.slt4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.slt4j.llc.Baseline;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testkit.ExactCase;
import org.slt4j.testkit.ExactCases;

/**
 * Time per SGLD step (one chain, one thread, every step a PAIRED draw) with the fast path for dense networks and
 * with DL4J's generic path, and a DL4J fit step for reference, on: a deep linear network of the exact-value suite,
 * the small MLP of issue 16 (20-64-64-4, batch 64), ReLU MLPs with 2,368 and 5,088 weights at the default minibatch
 * of 256 (all plain Java), and the wide MLP of issue 16 (784-256-256-10, batch 128; BLAS products). Args: rounds,
 * steps per variant per round. Run with OMP_NUM_THREADS=1 (see
 * docs/benchmarks.md for the command).
 */
public final class FastPathBenchmark {

    private FastPathBenchmark() {
    }

    private record Workload(String name, MultiLayerNetwork net, DataSet data, int batch) {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        System.out.printf("OMP_NUM_THREADS=%s, %d cores, load average %.2f%n", System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ExactCase dln = ExactCases.draw(40, 7).get(2);
        MultiLayerNetwork dlnNet = dln.network();
        Workload[] workloads = {
            new Workload("suite case #2 " + dln.label() + " (d=" + dln.dimension() + "), batch 256", dlnNet,
                    dln.data(dlnNet), 256),
            mlp(64, 20, 64, 64, 4),
            mlp(256, 32, 32, 32, 10),
            mlp(256, 48, 48, 48, 10),
            mlp(128, 784, 256, 256, 10),
        };
        System.out.println("| workload | fit step | SGLD step, DL4J path | SGLD step, fast path | speed-up |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Workload w : workloads) {
            LossSurface generic = withFastPath(false, () -> NetworkSurfaces.of(w.net(), w.data()));
            LossSurface fast = withFastPath(true, () -> NetworkSurfaces.of(w.net(), w.data()));
            DataSet batch = new DataSet(w.data().getFeatures().get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, w.batch())),
                    w.data().getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, w.batch())));
            double[] fit = new double[rounds];
            double[] slow = new double[rounds];
            double[] quick = new double[rounds];
            double[] ratio = new double[rounds];
            MultiLayerNetwork training = w.net().clone();
            for (int r = 0; r < rounds; r++) {
                fit[r] = SgldStepBenchmark.fitStepMillis(training, batch, steps);
                slow[r] = SgldStepBenchmark.sgldStepMillis(generic, Baseline.PAIRED, w.batch(), steps);
                quick[r] = SgldStepBenchmark.sgldStepMillis(fast, Baseline.PAIRED, w.batch(), steps);
                ratio[r] = slow[r] / quick[r];
            }
            System.out.printf("| %s | %.3f ms | %.3f ms | %.3f ms | %.1fx |%n", w.name(),
                    SgldStepBenchmark.median(fit), SgldStepBenchmark.median(slow), SgldStepBenchmark.median(quick),
                    SgldStepBenchmark.median(ratio));
        }
    }

    private static Workload mlp(int batch, int... widths) {
        MultiLayerNetwork net = BenchmarkNetworks.reluMlp(1, new Sgd(0.01), widths);
        long weights = 0;
        for (int i = 0; i + 1 < widths.length; i++) {
            weights += (long) widths[i] * widths[i + 1];
        }
        StringBuilder name = new StringBuilder("ReLU MLP ");
        for (int i = 0; i < widths.length; i++) {
            name.append(i > 0 ? "-" : "").append(widths[i]);
        }
        name.append(" softmax (").append(weights).append(" weights), batch ").append(batch);
        return new Workload(name.toString(), net, BenchmarkNetworks.classes(2_048, widths[0], widths[widths.length - 1]), batch);
    }

    private static LossSurface withFastPath(boolean on, Supplier<LossSurface> surface) {
        System.setProperty(NetworkSurfaces.FAST_PATH_PROPERTY, Boolean.toString(on));
        try {
            return surface.get();
        } finally {
            System.clearProperty(NetworkSurfaces.FAST_PATH_PROPERTY);
        }
    }
}
