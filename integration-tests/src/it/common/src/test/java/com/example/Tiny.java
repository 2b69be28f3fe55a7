package com.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.listener.SltListener;
import org.slt4j.llc.LlcConfig;
import org.slt4j.report.InMemorySink;
import org.slt4j.report.RunHistory;

/**
 * What the consumer projects train: a small regression MLP on generated data, as a user's own code would build
 * it with DL4J, and LLC settings small enough for a test (the defaults are sized for real runs).
 */
public final class Tiny {
    /** Examples in the generated training set. */
    public static final int EXAMPLES = 128;

    private Tiny() {
    }

    /** y = sin(x1) + x2 * x3 on 3 standard normal inputs, seeded. */
    public static DataSet data() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, EXAMPLES, 3);
        INDArray y = Nd4j.math().sin(x.getColumn(0).dup()).add(x.getColumn(1).mul(x.getColumn(2)))
                .reshape(EXAMPLES, 1);
        return new DataSet(x, y);
    }

    /** A 3-16-1 tanh MLP with MSE loss, initialised. */
    public static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    /** Short chains: a test needs records, not accuracy. */
    public static LlcConfig quickLlc() {
        return new LlcConfig.Builder().trainingSetSize(EXAMPLES).chains(2).burnInSteps(20).draws(30).batchSize(32)
                .stepSize(1e-4).localization(100).build();
    }

    /** Trains the network for some epochs with an SltListener (test-sized LLC settings) that records in memory. */
    public static RunHistory trainWithListener(int epochs) {
        DataSet data = data();
        MultiLayerNetwork net = network();
        InMemorySink sink = new InMemorySink();
        SltListener slt = new SltListener.Builder(data, data.numExamples()).sink(sink).llcConfig(quickLlc())
                .overheadBudget(Double.POSITIVE_INFINITY).build();
        net.addListeners(slt);
        for (int epoch = 0; epoch < epochs; epoch++) {
            net.fit(data);
        }
        slt.close();
        return sink.history();
    }

    /** The lines of a text file. */
    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
