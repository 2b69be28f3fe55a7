package org.slt4j.symmetry;

import java.lang.management.ManagementFactory;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The LAPACK routes to the eigenvalues behind a layer's ranks, each timed alone on the double Gram matrix of a
 * Gaussian weight matrix (1024 x 1024, 1024 x 512, 784 x 256), called through the OpenBLAS 0.3.19 that nd4j-native
 * runs on: the Gram matrix itself ({@code dsyrk}), the eigensolver {@link Spectrum} uses ({@code dsyev}, values
 * only), the other exact ones ({@code dsyevd}, {@code dsyevr} with values only, and the two-stage
 * {@code dsyev_2stage}, {@code dsyevd_2stage}, {@code dsyevr_2stage} of LAPACK 3.7), and the parts of a
 * mixed-precision route: rounding the Gram matrix to float, the single-precision eigensolvers {@code ssyev} and
 * {@code ssyevd}, and the LDL^T factorization {@code dsytrf} that would count the eigenvalues above the rank
 * threshold exactly (Sylvester's law of inertia). Each routine's time includes the fresh copy of its input it works
 * on (double, or rounded to float for the single-precision ones: 1-2 ms at 1024 x 1024). Medians of the given rounds (default 7) after 2 warm-up rounds;
 * run with OMP_NUM_THREADS=1 (docs/benchmarks.md, "The singular values behind the ranks").
 */
public final class EigensolverBenchmark {
    private static final int COL_MAJOR = openblas.LAPACK_COL_MAJOR;
    private static final byte N = 'N';
    private static final byte U = 'U';
    private static final byte ALL = 'A';

    private EigensolverBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.printf("OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s, load average %.2f%n",
                System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_CORETYPE"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int[] shape : new int[][] {{1024, 1024}, {1024, 512}, {784, 256}}) {
            int m = shape[0];
            int k = Math.min(shape[0], shape[1]);
            INDArray w = TestNets.gaussian(1, shape[1], m).castTo(DataType.DOUBLE).muli(0.05).dup('c');
            DoublePointer weights = (DoublePointer) w.data().addressPointer();
            try (DoublePointer gram = new DoublePointer((long) k * k);
                    DoublePointer work = new DoublePointer((long) k * k);
                    DoublePointer values = new DoublePointer(k);
                    FloatPointer single = new FloatPointer((long) k * k);
                    FloatPointer singleValues = new FloatPointer(k);
                    IntPointer found = new IntPointer(1);
                    IntPointer support = new IntPointer(2L * k);
                    IntPointer pivots = new IntPointer(k);
                    DoublePointer noVectors = new DoublePointer(1)) {
                // Read as column-major, w ('c', shape[1] x m) is its m x shape[1] transpose: the Gram of columns.
                Runnable gramMatrix = () -> openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasUpper,
                        openblas.CblasTrans, k, m, 1.0, weights, m, 0.0, gram, k);
                gramMatrix.run();
                Map<String, Runnable> routes = new LinkedHashMap<>();
                routes.put("dsyrk", gramMatrix);
                routes.put("dsyev", () -> openblas.LAPACKE_dsyev(COL_MAJOR, N, U, k, fresh(work, gram, k), k, values));
                routes.put("dsyevd", () -> openblas.LAPACKE_dsyevd(COL_MAJOR, N, U, k, fresh(work, gram, k), k,
                        values));
                routes.put("dsyevr", () -> openblas.LAPACKE_dsyevr(COL_MAJOR, N, ALL, U, k, fresh(work, gram, k), k,
                        0, 0, 0, 0, 0, found, values, noVectors, 1, support));
                routes.put("dsyev_2stage", () -> openblas.LAPACKE_dsyev_2stage(COL_MAJOR, N, U, k,
                        fresh(work, gram, k), k, values));
                routes.put("dsyevd_2stage", () -> openblas.LAPACKE_dsyevd_2stage(COL_MAJOR, N, U, k,
                        fresh(work, gram, k), k, values));
                routes.put("dsyevr_2stage", () -> openblas.LAPACKE_dsyevr_2stage(COL_MAJOR, N, ALL, U, k,
                        fresh(work, gram, k), k, 0, 0, 0, 0, 0, found, values, noVectors, 1, support));
                routes.put("to float", () -> toFloat(gram, single, k));
                routes.put("ssyev", () -> openblas.LAPACKE_ssyev(COL_MAJOR, N, U, k, toFloat(gram, single, k), k,
                        singleValues));
                routes.put("ssyevd", () -> openblas.LAPACKE_ssyevd(COL_MAJOR, N, U, k, toFloat(gram, single, k), k,
                        singleValues));
                routes.put("dsytrf", () -> openblas.LAPACKE_dsytrf(COL_MAJOR, U, k, fresh(work, gram, k), k, pivots));
                StringBuilder line = new StringBuilder(shape[0] + " x " + shape[1] + ":");
                routes.forEach((name, route) -> line.append(String.format(" %s %.1f ms,", name,
                        medianMillis(route, rounds))));
                System.out.println(line.substring(0, line.length() - 1));
            }
        }
        System.out.printf("load average at the end %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** A fresh copy of the Gram matrix for a routine that overwrites its input (timed with it: about 1 ms). */
    private static DoublePointer fresh(DoublePointer copy, DoublePointer gram, int k) {
        Pointer.memcpy(copy, gram, 8L * k * k);
        return copy;
    }

    private static FloatPointer toFloat(DoublePointer gram, FloatPointer single, int k) {
        DoubleBuffer from = gram.capacity((long) k * k).asBuffer();
        FloatBuffer to = single.capacity((long) k * k).asBuffer();
        for (int i = 0; i < k * k; i++) {
            to.put(i, (float) from.get(i));
        }
        return single;
    }

    private static double medianMillis(Runnable route, int rounds) {
        double[] millis = new double[rounds];
        for (int r = -2; r < rounds; r++) {
            long start = System.nanoTime();
            route.run();
            if (r >= 0) {
                millis[r] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(millis);
        return millis[rounds / 2];
    }
}
