package org.slt4j.symmetry;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Spectrum#singularValues} as it was before issue 16, kept as the reference for {@link SpectrumTest} and
 * {@link SpectrumBenchmark}: ND4J's general product for the double-precision Gram matrix, a column-major copy for
 * syev, every temporary left to the garbage collector.
 */
final class PreviousSpectrum {

    private PreviousSpectrum() {
    }

    static double[] singularValues(INDArray w) {
        INDArray d = w.castTo(DataType.DOUBLE);
        INDArray gram = d.rows() <= d.columns() ? d.mmul(d.transpose()) : d.transpose().mmul(d);
        INDArray a = gram.dup('f');
        INDArray eigenvalues = Nd4j.create(DataType.DOUBLE, a.rows());
        int info = Nd4j.getBlasWrapper().lapack().syev('N', 'U', a, eigenvalues);
        if (info != 0) {
            throw new IllegalStateException("LAPACK syev failed to converge (info: " + info + ")");
        }
        double[] e = eigenvalues.toDoubleVector();
        double[] s = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            s[e.length - 1 - i] = Math.sqrt(Math.max(0.0, e[i]));
        }
        return s;
    }
}
