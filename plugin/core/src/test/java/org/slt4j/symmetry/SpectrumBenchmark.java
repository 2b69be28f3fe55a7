package org.slt4j.symmetry;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cost of the singular values behind a layer's ranks ({@link Spectrum#singularValues}) against the computation
 * before issue 16 ({@link PreviousSpectrum}), on float32 Gaussian weight matrices of 1024 x 1024, 1024 x 512 and
 * 784 x 256; medians summarize. Arguments: rounds (default 9), then {@code before} or {@code now} to time only one
 * of the two, or {@code both} (the default) to interleave them: the previous computation leaves its temporaries to
 * the garbage collector, whose freeing then lands in the other's timings too, so time them in separate runs. Run with
 * OMP_NUM_THREADS=1 (see docs/benchmarks.md for the command).
 */
public final class SpectrumBenchmark {

    private SpectrumBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        String mode = args.length > 1 ? args[1] : "both";
        boolean previous = !mode.equals("now");
        boolean current = !mode.equals("before");
        System.out.printf("OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s, %d cores, load average %.2f%n",
                System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_CORETYPE"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int[] shape : new int[][] {{1024, 1024}, {1024, 512}, {784, 256}}) {
            INDArray w = TestNets.gaussian(1, shape[0], shape[1]).castTo(DataType.FLOAT).muli(0.05);
            double[] before = new double[rounds];
            double[] after = new double[rounds];
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                if (previous) {
                    PreviousSpectrum.singularValues(w);
                }
                if (current) {
                    Spectrum.singularValues(w);
                }
            }
            for (int r = 0; r < rounds; r++) {
                before[r] = previous ? millis(PreviousSpectrum::singularValues, w) : Double.NaN;
                after[r] = current ? millis(Spectrum::singularValues, w) : Double.NaN;
            }
            System.out.printf("%d x %d: before %.1f ms (%.1f-%.1f), now %.1f ms (%.1f-%.1f), %.1fx%n",
                    shape[0], shape[1], median(before), min(before), max(before), median(after), min(after),
                    max(after), median(before) / median(after));
        }
        System.out.printf("load average at the end %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double millis(Function<INDArray, double[]> singularValues, INDArray w) {
        long start = System.nanoTime();
        singularValues.apply(w);
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }
}
