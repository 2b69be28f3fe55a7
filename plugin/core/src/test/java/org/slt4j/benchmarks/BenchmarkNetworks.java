package org.slt4j.benchmarks;

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
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The networks and data the benchmarks measure. */
final class BenchmarkNetworks {

    private BenchmarkNetworks() {
    }

    /**
     * A float32 ReLU MLP classifier with the given widths (input first, softmax output last), initialized.
     *
     * @param updater the training updater (it changes the cost of a fit step, not of SGLD)
     */
    static MultiLayerNetwork reluMlp(long seed, IUpdater updater, int... widths) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).updater(updater).list();
        for (int i = 0; i + 2 < widths.length; i++) {
            b.layer(new DenseLayer.Builder().nIn(widths[i]).nOut(widths[i + 1]).activation(Activation.RELU).build());
        }
        int last = widths.length - 1;
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(widths[last - 1]).nOut(widths[last])
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /** Uniform random features in [0, 1) and random one-hot labels (float32, seed 3). */
    static DataSet classes(int examples, int inputs, int outputs) {
        Random random = new Random(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, examples, inputs);
        INDArray y = Nd4j.zeros(DataType.FLOAT, examples, outputs);
        for (int i = 0; i < examples; i++) {
            y.putScalar(i, random.nextInt(outputs), 1);
        }
        return new DataSet(x, y);
    }
}
