package org.slt4j.symmetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Spectrum#singularValues} against the computation it replaced ({@link PreviousSpectrum}): the numerical
 * rank must be identical, the stable rank equal to 1e-12 relative and the effective rank to 1e-9, or 1e-6 for
 * matrices of exactly low rank. Both are the eigenvalues of the same double-precision Gram matrix; only the order of
 * the Gram's sums may differ, which moves a singular value by up to about 1e-8 sigma_max where it is near zero: the
 * effective rank sums all of them, so on a matrix with many zero singular values it carries that noise floor
 * (measured: 2e-8 relative on a 200 x 200 matrix of rank 30). The tests run on matrices with planted singular values
 * either side of the rank tolerance, on random matrices of the benchmark's shapes, and on the weights of networks
 * before and after training.
 */
class SpectrumTest {

    private static final double TOLERANCE = SymmetryThresholds.defaults().rankTolerance();
    private static final double STABLE_RANK_RELATIVE = 1e-12;
    private static final double EFFECTIVE_RANK_RELATIVE = 1e-9;
    private static final double EFFECTIVE_RANK_RELATIVE_LOW_RANK = 1e-6;

    private static void assertSameAsBefore(INDArray w, String what) {
        assertSameAsBefore(w, what, EFFECTIVE_RANK_RELATIVE);
    }

    private static void assertSameAsBefore(INDArray w, String what, double effectiveRankRelative) {
        double[] now = Spectrum.singularValues(w);
        double[] before = PreviousSpectrum.singularValues(w);
        assertThat(now).as(what).hasSameSizeAs(before);
        for (int i = 0; i < now.length; i++) {
            assertThat(now[i]).as("%s: sigma_%d", what, i).isCloseTo(before[i], within(1e-7 * before[0]));
        }
        Spectrum a = Spectrum.of(now, TOLERANCE);
        Spectrum b = Spectrum.of(before, TOLERANCE);
        assertThat(a.numericalRank()).as(what).isEqualTo(b.numericalRank());
        assertThat(a.effectiveRank()).as(what)
                .isCloseTo(b.effectiveRank(), within(effectiveRankRelative * b.effectiveRank()));
        assertThat(a.stableRank()).as(what).isCloseTo(b.stableRank(), within(STABLE_RANK_RELATIVE * b.stableRank()));
    }

    /** Orthonormal columns (modified Gram-Schmidt on Gaussian vectors), rows x cols, cols <= rows. */
    private static double[][] orthonormal(int rows, int cols, Random random) {
        double[][] q = new double[cols][rows];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                q[j][i] = random.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < j; p++) {
                    double dot = 0;
                    for (int i = 0; i < rows; i++) {
                        dot += q[j][i] * q[p][i];
                    }
                    for (int i = 0; i < rows; i++) {
                        q[j][i] -= dot * q[p][i];
                    }
                }
            }
            double norm = 0;
            for (double x : q[j]) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < rows; i++) {
                q[j][i] /= norm;
            }
        }
        return q;
    }

    /** U diag(sigma) V^T with random orthonormal U (rows x r) and V (cols x r), r = sigma.length. */
    private static INDArray planted(int rows, int cols, double[] sigma, DataType type, long seed) {
        Random random = new Random(seed);
        double[][] u = orthonormal(rows, sigma.length, random);
        double[][] v = orthonormal(cols, sigma.length, random);
        double[][] w = new double[rows][cols];
        for (int l = 0; l < sigma.length; l++) {
            for (int i = 0; i < rows; i++) {
                double ul = sigma[l] * u[l][i];
                for (int j = 0; j < cols; j++) {
                    w[i][j] += ul * v[l][j];
                }
            }
        }
        return Nd4j.createFromArray(w).castTo(type);
    }

    @Test
    void plantedValuesEitherSideOfTheToleranceGiveTheSameRanksAsBefore() {
        // 1, a spread, then values just above and just below TOLERANCE * sigma_max (0.1% either side: float32
        // rounding of the matrix moves singular values by about 1e-7 sigma_max, 1e-4 of the tolerance).
        double[] sigma = new double[30];
        for (int i = 0; i < 24; i++) {
            sigma[i] = Math.pow(10, -2.5 * i / 23.0);
        }
        sigma[24] = TOLERANCE * 1.001;
        sigma[25] = TOLERANCE * 1.001;
        sigma[26] = TOLERANCE * 0.999;
        sigma[27] = TOLERANCE * 0.999;
        sigma[28] = TOLERANCE * 0.5;
        sigma[29] = 1e-6;
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int[] shape : new int[][] {{60, 40}, {40, 60}, {200, 200}}) {
                INDArray w = planted(shape[0], shape[1], sigma, type, 7);
                String what = type + " " + shape[0] + "x" + shape[1];

                assertThat(Spectrum.of(Spectrum.singularValues(w), TOLERANCE).numericalRank()).as(what).isEqualTo(26);
                assertSameAsBefore(w, what, EFFECTIVE_RANK_RELATIVE_LOW_RANK);
            }
        }
    }

    @Test
    void randomMatricesOfTheBenchmarksShapesGiveTheSameRanksAsBefore() {
        for (int[] shape : new int[][] {{1024, 1024}, {1024, 512}, {512, 1024}, {784, 256}}) {
            INDArray w = TestNets.gaussian(shape[0] + shape[1], shape[0], shape[1]).castTo(DataType.FLOAT).muli(0.05);
            assertSameAsBefore(w, shape[0] + "x" + shape[1]);
            assertSameAsBefore(w.dup('f'), shape[0] + "x" + shape[1] + ", column-major");
        }
    }

    @Test
    void aViewOfANetworksParametersGivesTheSameRanksAsACopy() {
        MultiLayerNetwork net = TestNets.mlp(Activation.RELU, 3, 20, 64, 64, 4);
        INDArray view = net.getLayer(1).getParam("W");

        assertThat(view.isView()).isTrue();
        double[] copy = Spectrum.singularValues(view.dup('c'));
        assertThat(Spectrum.singularValues(view)).containsExactly(copy, within(1e-12 * copy[0]));
    }

    @Test
    void networkWeightsBeforeAndAfterTrainingGiveTheSameRanksAsBefore() {
        MultiLayerNetwork net = TestNets.mlp(Activation.RELU, 3, 784, 256, 256, 10);
        INDArray x = TestNets.gaussian(11, 64, 784);
        INDArray y = TestNets.gaussian(12, 64, 10);
        for (int round = 0; round < 2; round++) {
            for (int layer = 0; layer < net.getnLayers(); layer++) {
                INDArray w = net.getLayer(layer).getParam("W");
                assertSameAsBefore(w, "round " + round + ", layer " + layer);
                assertSameAsBefore(w.castTo(DataType.FLOAT), "round " + round + ", layer " + layer + " in float");
            }
            for (int step = 0; step < 30; step++) {
                net.fit(x, y);
            }
        }
    }
}
