package org.slt4j.symmetry;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny double-precision networks with hand-planted weights. */
final class TestNets {

    private TestNets() {
    }

    /** Dense layers of the given widths with {@code hidden} activation, then an identity MSE output layer. */
    static MultiLayerNetwork mlp(Activation hidden, long seed, int... widths) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new Adam(0.01)).list();
        for (int i = 0; i + 2 < widths.length; i++) {
            b.layer(new DenseLayer.Builder().nIn(widths[i]).nOut(widths[i + 1]).activation(hidden).build());
        }
        int last = widths.length - 1;
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(widths[last - 1]).nOut(widths[last])
                .activation(Activation.IDENTITY).build());
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray gaussian(long seed, long... shape) {
        return Nd4j.getRandomFactory().getNewRandomInstance(seed).nextGaussian(shape).castTo(DataType.DOUBLE);
    }

    /** Sets unit {@code unit}'s incoming weights and bias in dense layer {@code layer}. */
    static void setUnit(MultiLayerNetwork net, int layer, int unit, double[] weights, double bias) {
        net.getLayer(layer).getParam("W").getColumn(unit).assign(Nd4j.createFromArray(weights));
        net.getLayer(layer).getParam("b").putScalar(unit, bias);
    }

    static double[] column(MultiLayerNetwork net, int layer, int unit) {
        return net.getLayer(layer).getParam("W").getColumn(unit).toDoubleVector();
    }

    static double[] scaled(double[] v, double c) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = c * v[i];
        }
        return r;
    }
}
