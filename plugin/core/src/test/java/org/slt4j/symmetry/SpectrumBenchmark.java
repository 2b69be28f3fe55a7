package org.slt4j.symmetry;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cost of a layer's ranks against the computation before issue 16 ({@link PreviousSpectrum}), on float32 Gaussian
 * weight matrices of 1024 x 1024, 1024 x 512 and 784 x 256; medians summarize. "now" is what a scan computes,
 * {@link Spectrum#of(INDArray, double)} (mixed precision from a smaller side of
 * {@value Spectrum#MIXED_PRECISION_MIN}), "double" the double-precision route ({@link Spectrum#singularValues}),
 * timed in the same rounds. Arguments: rounds (default 9), then {@code before} to time only the previous
 * computation, {@code now} to time only the current ones, or {@code both} (the default) to interleave all: the
 * previous computation leaves its temporaries to the garbage collector, whose freeing then lands in the others'
 * timings too, so time it in a separate run. Run with OMP_NUM_THREADS=1 (see docs/benchmarks.md for the command).
 */
public final class SpectrumBenchmark {

    private static final double TOLERANCE = SymmetryThresholds.defaults().rankTolerance();

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
            double[] exact = new double[rounds];
            Function<INDArray, Object> scan = m -> Spectrum.of(m, TOLERANCE);
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                if (previous) {
                    PreviousSpectrum.singularValues(w);
                }
                if (current) {
                    scan.apply(w);
                    Spectrum.singularValues(w);
                }
            }
            for (int r = 0; r < rounds; r++) {
                before[r] = previous ? millis(PreviousSpectrum::singularValues, w) : Double.NaN;
                after[r] = current ? millis(scan, w) : Double.NaN;
                exact[r] = current ? millis(Spectrum::singularValues, w) : Double.NaN;
            }
            System.out.printf("%d x %d: before %.1f ms (%.1f-%.1f), now %.1f ms (%.1f-%.1f), double route %.1f ms "
                    + "(%.1f-%.1f)%n", shape[0], shape[1], median(before), min(before), max(before), median(after),
                    min(after), max(after), median(exact), min(exact), max(exact));
        }
        System.out.printf("load average at the end %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double millis(Function<INDArray, ?> computation, INDArray w) {
        long start = System.nanoTime();
        computation.apply(w);
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
