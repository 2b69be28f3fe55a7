package org.slt4j.testkit;

import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
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
 * Deep linear networks f(x) = W_L ... W_1 x as real DL4J networks (dense layers, identity activation, no bias,
 * MSE), set to a true parameter in the deepest stratum: every layer of rank exactly r, a balanced factorization
 * W_l = c O_{l+1} O_l^T with orthonormal H_l x r factors O_l.
 */
public final class DeepLinearNetworks {

    private DeepLinearNetworks() {
    }

    /** A network with the given widths (input first, output last) at a deepest-stratum rank-r point. */
    public static MultiLayerNetwork atRank(int[] widths, int r, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).list();
        int layers = widths.length - 1;
        for (int l = 0; l < layers - 1; l++) {
            list.layer(new DenseLayer.Builder().nIn(widths[l]).nOut(widths[l + 1]).hasBias(false)
                    .activation(Activation.IDENTITY).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(widths[layers - 1])
                .nOut(widths[layers]).hasBias(false).activation(Activation.IDENTITY).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Random random = new Random(seed);
        INDArray[] factors = new INDArray[widths.length];
        for (int l = 0; l < widths.length; l++) {
            factors[l] = orthonormalColumns(widths[l], r, random);
        }
        for (int l = 0; l < layers; l++) {
            // DL4J stores W as [nIn, nOut] (activations are x W): the transpose of the math convention.
            INDArray w = r == 0 ? Nd4j.zeros(DataType.DOUBLE, widths[l], widths[l + 1])
                    : factors[l].mmul(factors[l + 1].transpose());
            net.setParam(l + "_W", w);
        }
        return net;
    }

    /** Noiseless teacher data: x ~ N(0, I), y = f(x) computed by the network itself. */
    public static DataSet teacherData(MultiLayerNetwork net, int examples, long seed) {
        int inputs = (int) net.layerInputSize(0);
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, examples, inputs);
        for (int i = 0; i < examples; i++) {
            for (int j = 0; j < inputs; j++) {
                x.putScalar(i, j, random.nextGaussian());
            }
        }
        INDArray y = net.output(x, false).dup();
        return new DataSet(x, y);
    }

    /**
     * A rows x cols matrix (cols &lt;= rows) with orthonormal columns: Gram-Schmidt on a standard Gaussian matrix
     * drawn from the random stream.
     */
    public static INDArray orthonormalColumns(int rows, int cols, Random random) {
        double[][] q = new double[cols][rows];
        for (int c = 0; c < cols; c++) {
            for (int i = 0; i < rows; i++) {
                q[c][i] = random.nextGaussian();
            }
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int i = 0; i < rows; i++) {
                    dot += q[c][i] * q[p][i];
                }
                for (int i = 0; i < rows; i++) {
                    q[c][i] -= dot * q[p][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < rows; i++) {
                norm += q[c][i] * q[c][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < rows; i++) {
                q[c][i] /= norm;
            }
        }
        INDArray m = Nd4j.create(DataType.DOUBLE, rows, cols);
        for (int c = 0; c < cols; c++) {
            for (int i = 0; i < rows; i++) {
                m.putScalar(i, c, q[c][i]);
            }
        }
        return m;
    }
}
