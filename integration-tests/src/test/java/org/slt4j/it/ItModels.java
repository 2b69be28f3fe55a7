package org.slt4j.it;

import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.llc.LlcConfig;

/** Tiny models (with dropout and L2, so the listeners' copies must strip them), data and fast settings. */
final class ItModels {
    static final int TRAINING_EXAMPLES = 96;

    private ItModels() {
    }

    static MultiLayerNetwork mln(WorkspaceMode workspaces) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .updater(new Adam(0.01)).l2(1e-3).trainingWorkspaceMode(workspaces)
                .inferenceWorkspaceMode(workspaces).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).dropOut(0.8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ComputationGraph graph(WorkspaceMode workspaces) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .updater(new Adam(0.01)).l2(1e-3).trainingWorkspaceMode(workspaces)
                .inferenceWorkspaceMode(workspaces).graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU)
                        .dropOut(0.8).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Three Gaussian blobs in 4 dimensions, one-hot labels. */
    static DataSet blobs(int examples, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, examples, 4);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, examples, 3);
        for (int i = 0; i < examples; i++) {
            int label = i % 3;
            for (int j = 0; j < 4; j++) {
                x.putScalar(i, j, random.nextGaussian() * 0.5 + (j == label ? 2 : 0));
            }
            y.putScalar(i, label, 1);
        }
        return new DataSet(x, y);
    }

    /** The training data behind a prefetching iterator (batches of 16: 6 iterations per epoch). */
    static DataSetIterator prefetchingTraining() {
        return new AsyncDataSetIterator(new ViewIterator(blobs(TRAINING_EXAMPLES, 1), 16), 3, true);
    }

    /** The listeners' own data. */
    static DataSet held() {
        return blobs(48, 2);
    }

    static LlcConfig fastConfig() {
        return LlcConfig.builder().trainingSetSize(TRAINING_EXAMPLES).chains(2).burnInSteps(5).draws(5)
                .batchSize(16).stepSize(1e-5).threads(2).build();
    }
}
