package org.slt4j.symmetry;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slt4j.platform.DirectBlas;

/** Singular values of a weight matrix and the rank measures derived from them. */
record Spectrum(int numericalRank, double effectiveRank, double stableRank) {

    /** ND4J's own syrk passes k = 1 to BLAS (a rank-one update), so the Gram matrix takes OpenBLAS's directly. */
    private static final boolean OPENBLAS_SYRK = DirectBlas.available();

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
                // In w's own order: converting the type is then a plain copy, not a transpose.
                INDArray d = Nd4j.createUninitialized(DataType.DOUBLE, w.shape(), w.ordering() == 'c' ? 'c' : 'f');
                INDArray gram = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {k, k}, 'f');
                INDArray eigenvalues = Nd4j.createUninitialized(DataType.DOUBLE, k)) {
            d.assign(w);
            if (OPENBLAS_SYRK) {
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
        // syev returns the eigenvalues in ascending order: reverse them while taking square roots.
        double[] sigma = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            sigma[s.length - 1 - i] = Math.sqrt(Math.max(0.0, s[i]));
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
        double sum = 0;
        double sumSq = 0;
        for (double s : sigma) {
            if (s > rankTolerance * max) {
                rank++;
            }
            sum += s;
            sumSq += s * s;
        }
        double entropy = 0;
        for (double s : sigma) {
            double p = s / sum;
            if (p > 0) {
                entropy -= p * Math.log(p);
            }
        }
        return new Spectrum(rank, Math.exp(entropy), sumSq / (max * max));
    }
}
