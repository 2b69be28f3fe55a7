package org.slt4j.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.slt4j.llc.Baseline;
import org.slt4j.platform.BlasDiagnostics;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;

/**
 * slt4j's SGLD step against a plain PyTorch SGLD step (forward, backward, Langevin update) on the same
 * architecture, batch and thread count, in the same run: the two workloads of issue 16, a 20-64-64-4 ReLU MLP at
 * batch 64 and a 784-256-256-10 ReLU MLP at batch 128, softmax cross-entropy, one chain on one thread. The PyTorch
 * side is {@code plugin/core/src/test/python/torch_sgld_step.py}, run with the interpreter given as the third
 * argument (default {@code python3}; Debian's {@code python3-torch} installs with apt). slt4j's step is measured
 * with the INIT baseline (the Langevin step alone, as PyTorch's) and with the PAIRED baseline's extra forward pass
 * on every step; a DL4J fit step is the third reference. Args: rounds, steps per round, python interpreter.
 */
public final class TorchComparisonBenchmark {

    /** What the PyTorch script said it ran on (its BLAS library), each distinct line once. */
    private static final Set<String> TORCH_BLAS = new LinkedHashSet<>();

    private TorchComparisonBenchmark() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        String python = args.length > 2 ? args[2] : "python3";
        System.out.printf("OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s, %d cores, load average %.2f%n",
                System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_CORETYPE"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| workload | PyTorch SGLD step | slt4j SGLD step | ratio | slt4j step + PAIRED pass | "
                + "DL4J fit step | SGLD / fit |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        run(new int[] {20, 64, 64, 4}, 64, rounds, steps, python);
        run(new int[] {784, 256, 256, 10}, 128, rounds, Math.max(50, steps / 4), python);
        BlasDiagnostics blas = BlasDiagnostics.detect();
        System.out.printf("slt4j/DL4J ran on OpenBLAS %s, kernels %s; PyTorch ran on %s%n",
                blas.openBlasVersion().orElse("?"), blas.openBlasCore().orElse("?"), String.join(" | ", TORCH_BLAS));
        System.out.printf("load average at the end %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void run(int[] widths, int batch, int rounds, int steps, String python)
            throws IOException, InterruptedException {
        MultiLayerNetwork net = BenchmarkNetworks.reluMlp(1, new Sgd(0.01), widths);
        DataSet data = BenchmarkNetworks.classes(2_048, widths[0], widths[widths.length - 1]);
        DataSet fitBatch = new DataSet(data.getFeatures().get(NDArrayIndex.interval(0, batch)),
                data.getLabels().get(NDArrayIndex.interval(0, batch)));
        LossSurface surface = NetworkSurfaces.of(net, data);
        MultiLayerNetwork training = net.clone();
        double[] torch = new double[rounds];
        double[] sgld = new double[rounds];
        double[] paired = new double[rounds];
        double[] fit = new double[rounds];
        double[] ratio = new double[rounds];
        double[] perFit = new double[rounds];
        String name = String.join("-", java.util.Arrays.stream(widths).mapToObj(Integer::toString).toList());
        for (int r = 0; r < rounds; r++) {
            torch[r] = torchStepMillis(python, name, batch, steps);
            sgld[r] = SgldStepBenchmark.sgldStepMillis(surface, Baseline.INIT, batch, steps);
            paired[r] = SgldStepBenchmark.sgldStepMillis(surface, Baseline.PAIRED, batch, steps);
            fit[r] = SgldStepBenchmark.fitStepMillis(training, fitBatch, steps);
            ratio[r] = sgld[r] / torch[r];
            perFit[r] = sgld[r] / fit[r];
        }
        System.out.printf("| MLP %s, batch %d (%d parameters) | %.3f ms | %.3f ms | %.2fx | %.3f ms | %.3f ms | "
                + "%.2fx |%n", name, batch, net.numParams(), SgldStepBenchmark.median(torch),
                SgldStepBenchmark.median(sgld), SgldStepBenchmark.median(ratio), SgldStepBenchmark.median(paired),
                SgldStepBenchmark.median(fit), SgldStepBenchmark.median(perFit));
    }

    /** One run of the PyTorch script (it prints the median of its own 5 rounds). */
    private static double torchStepMillis(String python, String widths, int batch, int steps)
            throws IOException, InterruptedException {
        Path script = Path.of("src", "test", "python", "torch_sgld_step.py");
        if (!script.toFile().isFile()) {
            script = Path.of("plugin", "core").resolve(script);
        }
        Process process = new ProcessBuilder(python, script.toString(), widths, Integer.toString(batch),
                Integer.toString(steps)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the PyTorch reference failed (is python3-torch installed?): " + output);
        }
        String[] lines = output.split("\n");
        for (String line : lines) {
            if (line.startsWith("blas: ")) {
                TORCH_BLAS.add(line.substring("blas: ".length()));
            }
        }
        return Double.parseDouble(lines[lines.length - 1].trim());
    }
}
