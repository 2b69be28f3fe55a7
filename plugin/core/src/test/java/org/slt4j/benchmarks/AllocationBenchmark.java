package org.slt4j.benchmarks;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.slt4j.llc.Baseline;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testing.LayerFamilies;

/**
 * Java heap allocated per SGLD step on DL4J's generic path: one chain on the calling thread (threads(1) runs chains
 * there), INIT baseline, batch 64, on the EmbeddingLayer network of the layer-family tests and on the 784-256-256-10
 * MLP with and without the dense fast path. The bytes are the calling thread's allocation counter
 * ({@code ThreadMXBean.getCurrentThreadAllocatedBytes}) over an estimate of the given number of steps less that of a
 * one-step estimate (the estimate's fixed costs). Args: steps (default 1000). Where the bytes come from: run with
 * {@code -XX:StartFlightRecording=settings=profile,filename=steps.jfr} and read the {@code jdk.ObjectAllocationSample}
 * events (docs/benchmarks.md).
 */
public final class AllocationBenchmark {

    private AllocationBenchmark() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        LayerFamilies.Trained embedding = LayerFamilies.trained(LayerFamilies.Family.EMBEDDING, 512, 1);
        report("EmbeddingLayer network (generic path)",
                NetworkSurfaces.of((MultiLayerNetwork) embedding.network(), embedding.data()), steps);
        MultiLayerNetwork mlp = BenchmarkNetworks.reluMlp(1, new Sgd(0.01), 784,
                256, 256, 10);
        DataSet data = BenchmarkNetworks.classes(2_048, 784, 10);
        report("MLP 784-256-256-10 (dense fast path, BLAS)", NetworkSurfaces.of(mlp, data), steps / 4);
        System.setProperty(NetworkSurfaces.FAST_PATH_PROPERTY, "false");
        report("MLP 784-256-256-10 (generic path)", NetworkSurfaces.of(mlp, data), steps / 4);
        System.clearProperty(NetworkSurfaces.FAST_PATH_PROPERTY);
    }

    private static void report(String name, LossSurface surface, int steps) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        LlcConfig.Builder config = new LlcConfig.Builder().trainingSetSize(512).chains(1).threads(1).batchSize(64)
                .stepSize(1e-6).localization(100).burnInSteps(0).baseline(Baseline.INIT);
        double[] perStep = new double[3];
        for (int round = 0; round < perStep.length; round++) {
            long start = threads.getCurrentThreadAllocatedBytes();
            new LlcEstimator(config.draws(1).build()).estimate(surface);
            long fixed = threads.getCurrentThreadAllocatedBytes() - start;
            start = threads.getCurrentThreadAllocatedBytes();
            new LlcEstimator(config.draws(steps).build()).estimate(surface);
            long all = threads.getCurrentThreadAllocatedBytes() - start;
            perStep[round] = (all - fixed) / 1024.0 / (steps - 1);
        }
        System.out.printf("%s: %.1f KB per SGLD step (3 rounds: %.1f, %.1f, %.1f)%n", name,
                SgldStepBenchmark.median(perStep), perStep[0], perStep[1], perStep[2]);
    }
}
