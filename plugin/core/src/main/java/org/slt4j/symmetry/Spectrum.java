package org.slt4j.symmetry;

import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slt4j.platform.DirectBlas;

/**
 * The rank measures of a weight matrix, from its singular values: the numerical rank (singular values above the
 * rank tolerance times the largest), the effective rank (the exponential of the entropy of the singular values
 * normalized to sum 1) and the stable rank (sum of squares over the largest square).
 */
record Spectrum(int numericalRank, double effectiveRank, double stableRank) {

    /** ND4J's own syrk passes k = 1 to BLAS (a rank-one update), so the Gram matrix takes OpenBLAS's directly. */
    private static final boolean OPENBLAS = DirectBlas.available();
    /**
     * Smaller side from which {@link #of(INDArray, double)} takes the single-precision eigensolver. Below it the
     * double one costs little (4 ms for 784 x 256) and its effective and stable ranks are exact to rounding.
     */
    static final int MIXED_PRECISION_MIN = 512;
    /** Unit roundoff of float. */
    private static final double FLOAT_EPS = 0x1p-24;

    /**
     * The rank measures of w. On OpenBLAS with a smaller side of at least {@value #MIXED_PRECISION_MIN}, in mixed
     * precision, about 1.4x faster for 1024 x 1024 than the double-precision route ({@link #singularValues}), whose
     * double eigensolver is most of the cost:
     * <ul>
     *   <li>The double-precision Gram matrix G of the smaller side (OpenBLAS dsyrk), as the double route.</li>
     *   <li>Its eigenvalues by LAPACK's single-precision ssyev, on G rounded to float: each is off by up to about
     *       1e-5 lambda_max (measured 7e-6 at 1024 x 1024), which is a singular value near zero off by up to about
     *       3e-3 sigma_max.</li>
     *   <li><b>Numerical rank: exact.</b> Every eigenvalue farther than {@code k * 2^-24 * lambda_max} (over 8 times
     *       the largest error measured) from the threshold (tolerance sigma_max)^2 is decided by its float value;
     *       if any is closer, the rank is counted in double: by Sylvester's law of inertia it is the number of
     *       positive eigenvalues of G - threshold I, which the LDL^T factorization (LAPACK dsytrf, a third of the
     *       eigensolver's cost) gives from its 1x1 and 2x2 blocks. The threshold uses the float lambda_max, so the
     *       rank equals the double route's unless a singular value lies within about 1e-5 relative of
     *       tolerance sigma_max.</li>
     *   <li><b>Stable rank</b>: trace(G) (exact) over the float lambda_max: within about 1e-5 relative of the
     *       double route's.</li>
     *   <li><b>Effective rank</b>: from the float singular values, those whose eigenvalue is within the bound above
     *       of 0 taken as 0 (float cannot tell them from 0: below about 8e-3 sigma_max at 1024 x 1024). On the
     *       matrices SpectrumTest checks it is within 5e-4 relative of the double route's on full-rank ones, 3e-3 on
     *       1024 x 1024 of rank 300 and 600, and 2.2% on a 600 x 520 matrix of rank 26 with singular values planted
     *       down to 1e-3 sigma_max, which are then taken as 0: the effective rank weighs every singular value, and
     *       float resolves those below about 0.5% of sigma_max only as "small".</li>
     * </ul>
     * Elsewhere (smaller layers, or ND4J on another BLAS) the double route: all three exact to rounding.
     */
    static Spectrum of(INDArray w, double rankTolerance) {
        if (OPENBLAS && Math.min(w.rows(), w.columns()) >= MIXED_PRECISION_MIN) {
            return OpenBlasGram.mixed(w, rankTolerance);
        }
        return of(singularValues(w), rankTolerance);
    }

    /**
     * Singular values via the eigenvalues of the smaller Gram matrix in double precision: a BLAS-3 product plus a
     * symmetric eigensolver (LAPACK syev, values only) measured faster than gesvd here, and accurate to about
     * 1e-8 sigma_max, far below any rank tolerance we accept.
     *
     * <p>Cost on one thread, for 1024 x 1024 (docs/benchmarks.md): the eigensolver is most of it; the Gram matrix
     * is OpenBLAS's dsyrk (half the work of a general product: only the triangle syev reads) when ND4J runs on
     * OpenBLAS, ND4J's gemm otherwise. Every temporary is closed when done: fresh native memory costs page faults
     * (about 25 ms for the 8 MB of a 1024 x 1024 double matrix here), closed memory is reused by the allocator.
     */
    static double[] singularValues(INDArray w) {
        long k = Math.min(w.rows(), w.columns());
        double[] s;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
                INDArray d = doubleCopy(w);
                INDArray gram = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {k, k}, 'f');
                INDArray eigenvalues = Nd4j.createUninitialized(DataType.DOUBLE, k)) {
            if (OPENBLAS) {
                OpenBlasGram.upper(d, gram);
            } else {
                boolean ofColumns = w.columns() <= w.rows();
                Nd4j.gemm(d, d, gram, ofColumns, !ofColumns, 1.0, 0.0);
            }
            int info = Nd4j.getBlasWrapper().lapack().syev('N', 'U', gram, eigenvalues);
            if (info != 0) {
                throw new IllegalStateException("LAPACK syev failed to converge (info: " + info + ")");
            }
            s = eigenvalues.toDoubleVector();
        }
        return descendingRoots(s);
    }

    /** A double copy of w in w's own order: converting the type is then a plain copy, not a transpose. */
    private static INDArray doubleCopy(INDArray w) {
        INDArray d = Nd4j.createUninitialized(DataType.DOUBLE, w.shape(), w.ordering() == 'c' ? 'c' : 'f');
        return d.assign(w);
    }

    /** Square roots of eigenvalues in ascending order (negative rounding noise as 0), in descending order. */
    private static double[] descendingRoots(double[] ascending) {
        double[] sigma = new double[ascending.length];
        for (int i = 0; i < ascending.length; i++) {
            sigma[ascending.length - 1 - i] = Math.sqrt(Math.max(0.0, ascending[i]));
        }
        return sigma;
    }

    /** Calls into OpenBLAS's bindings; loaded only where ND4J runs on OpenBLAS. */
    private static final class OpenBlasGram {
        /**
         * The upper triangle of the smaller Gram matrix of d (dense, row- or column-major) into gram (column-major).
         * Read as column-major, d's buffer is d itself ('f') or its transpose ('c'): the same Gram matrices.
         */
        static void upper(INDArray d, INDArray gram) {
            int rows = (int) (d.ordering() == 'f' ? d.rows() : d.columns());
            int columns = (int) (d.length() / rows);
            boolean ofColumns = columns <= rows;
            int k = (int) gram.rows();
            openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasUpper,
                    ofColumns ? openblas.CblasTrans : openblas.CblasNoTrans, k, ofColumns ? rows : columns, 1.0,
                    (DoublePointer) d.data().addressPointer(), rows, 0.0, (DoublePointer) gram.data().addressPointer(),
                    k);
        }

        /** {@link Spectrum#of(INDArray, double)}'s mixed-precision route. */
        static Spectrum mixed(INDArray w, double rankTolerance) {
            int k = (int) Math.min(w.rows(), w.columns());
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
                    INDArray d = doubleCopy(w);
                    INDArray gram = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {k, k}, 'f');
                    INDArray single = Nd4j.createUninitialized(DataType.FLOAT, new long[] {k, k}, 'f');
                    INDArray eigenvalues = Nd4j.createUninitialized(DataType.FLOAT, k)) {
                upper(d, gram);
                single.assign(gram);
                int info = openblas.LAPACKE_ssyev(openblas.LAPACK_COL_MAJOR, (byte) 'N', (byte) 'U', k,
                        (FloatPointer) single.data().addressPointer(), k,
                        (FloatPointer) eigenvalues.data().addressPointer());
                if (info != 0) {
                    throw new IllegalStateException("LAPACK ssyev failed to converge (info: " + info + ")");
                }
                double[] lambda = eigenvalues.toDoubleVector();
                double max = lambda[k - 1];
                if (!(max > 0)) {
                    return new Spectrum(0, Double.NaN, Double.NaN);
                }
                DoubleBuffer g = gram.data().asNioDouble();
                double trace = 0;
                for (int i = 0; i < k; i++) {
                    trace += g.get(i * (k + 1));
                }
                double threshold = rankTolerance * rankTolerance * max;
                double bound = k * FLOAT_EPS * max;
                int rank = 0;
                boolean undecided = false;
                for (double l : lambda) {
                    rank += l > threshold ? 1 : 0;
                    undecided |= Math.abs(l - threshold) <= bound;
                }
                if (undecided) {
                    rank = eigenvaluesAbove(gram, threshold);
                }
                // Eigenvalues within the error bound of 0 are 0 as far as float can tell: taken as 0, as the double
                // route finds them on matrices of exactly low rank, not as float noise of up to sqrt(bound).
                for (int i = 0; i < k; i++) {
                    lambda[i] = lambda[i] <= bound ? 0 : lambda[i];
                }
                return new Spectrum(rank, effectiveRank(descendingRoots(lambda)), trace / max);
            }
        }

        /**
         * The number of eigenvalues of the symmetric matrix (column-major, upper triangle) above the threshold: the
         * positive eigenvalues of A - threshold I, which has the inertia of the block-diagonal D of its Bunch-Kaufman
         * factorization U D U^T (Sylvester). Overwrites the matrix.
         */
        private static int eigenvaluesAbove(INDArray symmetric, double threshold) {
            int k = (int) symmetric.rows();
            DoubleBuffer a = symmetric.data().asNioDouble();
            for (int i = 0; i < k; i++) {
                a.put(i * (k + 1), a.get(i * (k + 1)) - threshold);
            }
            try (IntPointer pivots = new IntPointer(k)) {
                int info = openblas.LAPACKE_dsytrf(openblas.LAPACK_COL_MAJOR, (byte) 'U', k,
                        (DoublePointer) symmetric.data().addressPointer(), k, pivots);
                if (info < 0) {
                    throw new IllegalStateException("LAPACK dsytrf rejected argument " + (-info));
                }
                // info > 0: D is singular (an eigenvalue exactly at the threshold), which the count handles.
                int positive = 0;
                for (int i = 0; i < k; i++) {
                    double d = a.get(i * (k + 1));
                    if (pivots.get(i) > 0 || i + 1 == k) {
                        positive += d > 0 ? 1 : 0;
                        continue;
                    }
                    // A 2x2 block on rows i, i + 1 (both pivots negative): eigenvalue signs from its trace and
                    // determinant.
                    double off = a.get(i + (i + 1) * k);
                    double next = a.get((i + 1) * (k + 1));
                    double det = d * next - off * off;
                    double trace = d + next;
                    positive += det < 0 ? 1 : det > 0 ? (trace > 0 ? 2 : 0) : (trace > 0 ? 1 : 0);
                    i++;
                }
                return positive;
            }
        }
    }

    /**
     * @param sigma         singular values, descending
     * @param rankTolerance relative tolerance for the numerical rank
     * @return the rank measures; a zero matrix has numerical rank 0 and NaN effective and stable ranks
     */
    static Spectrum of(double[] sigma, double rankTolerance) {
        double max = sigma.length == 0 ? 0.0 : sigma[0];
        if (!(max > 0)) {
            return new Spectrum(0, Double.NaN, Double.NaN);
        }
        int rank = 0;
        double sumSq = 0;
        for (double s : sigma) {
            if (s > rankTolerance * max) {
                rank++;
            }
            sumSq += s * s;
        }
        return new Spectrum(rank, effectiveRank(sigma), sumSq / (max * max));
    }

    /** exp of the entropy of the singular values normalized to sum 1. */
    private static double effectiveRank(double[] sigma) {
        double sum = 0;
        for (double s : sigma) {
            sum += s;
        }
        double entropy = 0;
        for (double s : sigma) {
            double p = s / sum;
            if (p > 0) {
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }
}
