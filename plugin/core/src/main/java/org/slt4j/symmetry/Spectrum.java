package org.slt4j.symmetry;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Singular values of a weight matrix and the rank measures derived from them. */
record Spectrum(int numericalRank, double effectiveRank, double stableRank) {

    /**
     * Singular values via the eigenvalues of the smaller Gram matrix in double precision: a BLAS-3 product plus a
     * symmetric eigensolver (LAPACK syev, values only) measured faster than gesvd here, and accurate to about
     * 1e-8 sigma_max, far below any rank tolerance we accept.
     */
    static double[] singularValues(INDArray w) {
        INDArray d = w.castTo(DataType.DOUBLE);
        INDArray gram = d.rows() <= d.columns() ? d.mmul(d.transpose()) : d.transpose().mmul(d);
        INDArray a = gram.dup('f');
        INDArray eigenvalues = Nd4j.create(DataType.DOUBLE, a.rows());
        int info = Nd4j.getBlasWrapper().lapack().syev('N', 'U', a, eigenvalues);
        if (info != 0) {
            throw new IllegalStateException("LAPACK syev failed to converge (info: " + info + ")");
        }
        double[] s = eigenvalues.toDoubleVector();
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.sqrt(Math.max(0.0, s[i]));
        }
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
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
