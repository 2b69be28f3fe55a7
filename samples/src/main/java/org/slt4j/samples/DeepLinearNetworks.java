package org.slt4j.samples;

import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Deep linear networks f(x) = W_L ... W_1 x as DL4J networks (dense layers, identity activation, no bias, MSE),
 * their exact learning coefficient (Aoyagi 2024), and noiseless teacher data. The true parameter is in the
 * deepest stratum - every layer of rank exactly r - where the local learning coefficient equals the global one.
 */
final class DeepLinearNetworks {

    private DeepLinearNetworks() {
    }

    /**
     * A network with the given widths (input first, output last) at a balanced rank-r factorization
     * W_l = O_{l+1} O_l^T with orthonormal width x r factors O_l.
     */
    static MultiLayerNetwork atRank(int[] widths, int r, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).list();
        int layers = widths.length - 1;
        for (int l = 0; l < layers - 1; l++) {
            list.layer(new DenseLayer.Builder().nIn(widths[l]).nOut(widths[l + 1]).hasBias(false)
                    .activation(Activation.IDENTITY).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(widths[layers - 1])
                .nOut(widths[layers]).hasBias(false).activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        Random random = new Random(seed);
        INDArray[] factors = new INDArray[widths.length];
        for (int l = 0; l < widths.length; l++) {
            factors[l] = orthonormalColumns(widths[l], r, random);
        }
        for (int l = 0; l < layers; l++) {
            // DL4J stores W as [nIn, nOut] (activations are x W): the transpose of the math convention.
            net.setParam(l + "_W", factors[l].mmul(factors[l + 1].transpose()));
        }
        return net;
    }

    /** Noiseless teacher data: x ~ N(0, I), y = f(x), so the true parameter is an exact minimum of the loss. */
    static DataSet teacherData(MultiLayerNetwork net, int examples, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, examples, net.layerInputSize(0));
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.columns(); j++) {
                x.putScalar(i, j, random.nextGaussian());
            }
        }
        return new DataSet(x, net.output(x, false).dup());
    }

    /**
     * The learning coefficient of a deep linear network with widths H_1 (input) ... H_{L+1} (output) and true
     * product rank r (Aoyagi 2024): with M_j = H_j - r sorted ascending, find the prefix of size l + 1 with
     * max M < the next M, sum M >= l max M and sum M < l * the next M; then lambda = (r(H_1 + H_{L+1}) - r^2)/2
     * + a(l - a)/(4l) - l(l - 1)/4 (S/l)^2 + 1/2 sum_{i<j} M_i M_j over the prefix, S its sum and
     * a = S - (ceil(S/l) - 1) l.
     */
    static double learningCoefficient(int[] widths, int r) {
        int count = widths.length;
        int[] m = Arrays.stream(widths).map(h -> h - r).sorted().toArray();
        for (int size = 2; size <= count; size++) {
            int ell = size - 1;
            long s = Arrays.stream(m, 0, size).sum();
            int max = m[size - 1];
            boolean all = size == count;
            int next = all ? Integer.MAX_VALUE : m[size];
            if ((all || max < next) && s >= (long) ell * max && (all || s < (long) ell * next)) {
                double a = s - (Math.ceil((double) s / ell) - 1) * ell;
                double pairs = 0;
                for (int i = 0; i < size; i++) {
                    for (int j = i + 1; j < size; j++) {
                        pairs += (double) m[i] * m[j];
                    }
                }
                double mean = (double) s / ell;
                return ((double) r * (widths[0] + widths[count - 1]) - (double) r * r) / 2
                        + a * (ell - a) / (4.0 * ell) - ell * (ell - 1) / 4.0 * mean * mean + pairs / 2;
            }
        }
        throw new IllegalStateException("no admissible subset for " + Arrays.toString(widths) + ", r = " + r);
    }

    private static INDArray orthonormalColumns(int rows, int cols, Random random) {
        INDArray q = Nd4j.create(DataType.DOUBLE, rows, cols);
        for (int c = 0; c < cols; c++) {
            INDArray column = q.getColumn(c);
            for (int i = 0; i < rows; i++) {
                column.putScalar(i, random.nextGaussian());
            }
            for (int p = 0; p < c; p++) {
                INDArray previous = q.getColumn(p);
                column.subi(previous.mul(column.mul(previous).sumNumber().doubleValue()));
            }
            column.divi(column.norm2Number());
        }
        return q;
    }
}
