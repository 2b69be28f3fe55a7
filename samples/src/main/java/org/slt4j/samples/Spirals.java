package org.slt4j.samples;

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
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Three interleaved spirals in the plane, and the small ReLU MLP that the quickstart and checkpoint samples fit. */
final class Spirals {
    /** Number of classes (spiral arms). */
    static final int CLASSES = 3;

    private Spirals() {
    }

    /** Generated examples, cycling through the arms, with Gaussian angle noise; same seed, same data. */
    static DataSet data(int examples, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, examples, 2);
        INDArray y = Nd4j.zeros(DataType.FLOAT, examples, CLASSES);
        for (int i = 0; i < examples; i++) {
            int label = i % CLASSES;
            double r = random.nextDouble();
            double angle = 2 * Math.PI * label / CLASSES + 4 * r + random.nextGaussian() * 0.2;
            x.putScalar(i, 0, r * Math.cos(angle));
            x.putScalar(i, 1, r * Math.sin(angle));
            y.putScalar(i, label, 1);
        }
        return new DataSet(x, y);
    }

    /** A 2-32-32-3 ReLU MLP with softmax output, initialised with the given seed. */
    static MultiLayerNetwork network(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Adam(5e-3)).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(32).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(32).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }
}
