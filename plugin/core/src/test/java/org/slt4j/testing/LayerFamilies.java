package org.slt4j.testing;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.MapSchedule;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The layer families DL4J users train, each as a tiny network with dropout, and generated data it can learn:
 * convolutions with batch normalization, recurrent layers on masked sequences of different lengths, and
 * embeddings. {@link #trained} fits a family's network briefly, so tests see a network near a minimum.
 */
public final class LayerFamilies {
    /** Steps of the generated sequences before padding. */
    public static final int MAX_LENGTH = 5;
    /** Tokens of the generated token data. */
    public static final int VOCABULARY = 6;
    /**
     * Fraction of labels drawn at random: without label noise the classes are separable, the loss has no minimum
     * (it keeps falling as the weights grow), and the LLC is defined only at a minimum.
     */
    private static final double LABEL_NOISE = 0.15;
    private static final int TRAINING_EPOCHS = 600;

    private LayerFamilies() {
    }

    /** A network of one family with the data it was trained on. */
    public record Trained(String family, Model network, DataSet data) {
        /** The network's loss surface on its data. */
        public LossSurface surface() {
            return LayerFamilies.surface(network, data);
        }

        @Override
        public String toString() {
            return family;
        }
    }

    /** The loss surface of a family's network (a MultiLayerNetwork, or a graph with one input) on the data. */
    public static LossSurface surface(Model network, DataSet data) {
        return network instanceof MultiLayerNetwork net ? NetworkSurfaces.of(net, data)
                : NetworkSurfaces.of((ComputationGraph) network, List.of(data.toMultiDataSet()));
    }

    /** The families whose estimates the tests check. */
    public enum Family {
        /** Conv2D, batch normalization, max pooling, dropout before the softmax output (MultiLayerNetwork). */
        CNN,
        /** An LSTM (3 units) on masked sequences with a label at every step (MultiLayerNetwork). */
        LSTM,
        /** The same LSTM network as a ComputationGraph. */
        LSTM_GRAPH,
        /** A SimpleRnn (4 units) on masked sequences with a label at every step (MultiLayerNetwork). */
        SIMPLE_RNN,
        /** The same SimpleRnn network as a ComputationGraph. */
        SIMPLE_RNN_GRAPH,
        /** An EmbeddingLayer on single tokens, then a dense layer (MultiLayerNetwork). */
        EMBEDDING,
        /** An EmbeddingSequenceLayer on masked token sequences, then masked average pooling (MultiLayerNetwork). */
        EMBEDDING_SEQUENCE
    }

    /**
     * The family's network, with dropout configured, at parameters fitted on its data of the given size:
     * {@value #TRAINING_EPOCHS} full-batch Adam steps whose learning rate falls from 0.02 to 0.0005, taken by the
     * same network without dropout, whose parameters and updater state the returned network then takes over.
     * A network trained with dropout sits at a minimum of the dropout-averaged loss, not of the deterministic loss
     * the LLC samples (for the LSTM the full-batch gradient norm there was 0.7), and the LLC is defined at a
     * minimum.
     */
    public static Trained trained(Family family, int examples, long seed) {
        Model fitted = network(family, seed, false);
        DataSet data = data(family, examples, seed + 1);
        for (int i = 0; i < TRAINING_EPOCHS; i++) {
            fit(fitted, data);
        }
        Model network = network(family, seed, true);
        network.setParams(fitted.params());
        updaterState(network).assign(updaterState(fitted));
        return new Trained(family.name(), network, data);
    }

    /** The updater state of a MultiLayerNetwork or ComputationGraph (a live view). */
    public static INDArray updaterState(Model network) {
        return network instanceof MultiLayerNetwork net ? net.getUpdater().getStateViewArray()
                : ((ComputationGraph) network).getUpdater().getStateViewArray();
    }

    private static void fit(Model network, DataSet data) {
        if (network instanceof MultiLayerNetwork net) {
            net.fit(data);
        } else {
            ((ComputationGraph) network).fit(data);
        }
    }

    /** The family's network, initialized, untrained, with dropout (keep probability 0.8) on one layer. */
    public static Model network(Family family, long seed) {
        return network(family, seed, true);
    }

    private static Model network(Family family, long seed, boolean dropout) {
        double keep = dropout ? 0.8 : 0; // DL4J reads a retain probability of 0 as no dropout
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new Adam(new MapSchedule(ScheduleType.ITERATION,
                        Map.of(0, 0.02, 300, 0.003, 450, 0.0005))));
        return switch (family) {
            case CNN -> init(base.list()
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.RELU).build())
                    .layer(new BatchNormalization.Builder().build())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                            .stride(2, 2).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).dropOut(keep)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutional(6, 6, 1)).build());
            case LSTM, SIMPLE_RNN -> init(base.list().layer(recurrent(family, keep)).layer(rnnOutput(family))
                    .build());
            case LSTM_GRAPH, SIMPLE_RNN_GRAPH -> {
                ComputationGraph graph = new ComputationGraph(base.graphBuilder().addInputs("in")
                        .addLayer("rnn", recurrent(family, keep), "in").addLayer("out", rnnOutput(family), "rnn")
                        .setOutputs("out").setInputTypes(InputType.recurrent(2, MAX_LENGTH)).build());
                graph.init();
                yield graph;
            }
            case EMBEDDING -> init(base.list()
                    .layer(new EmbeddingLayer.Builder().nIn(VOCABULARY).nOut(3).build())
                    .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).dropOut(keep).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .build());
            case EMBEDDING_SEQUENCE -> init(base.list()
                    .layer(new EmbeddingSequenceLayer.Builder().nIn(VOCABULARY).nOut(3).inputLength(MAX_LENGTH)
                            .build())
                    .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2).dropOut(keep)
                            .activation(Activation.SOFTMAX).build())
                    .build());
        };
    }

    /** The recurrent layer of a recurrent family: an LSTM of 3 units or a SimpleRnn of 4, on 2 features. */
    private static org.deeplearning4j.nn.conf.layers.Layer recurrent(Family family, double keep) {
        return family == Family.LSTM || family == Family.LSTM_GRAPH
                ? new LSTM.Builder().nIn(2).nOut(3).activation(Activation.TANH).dropOut(keep).build()
                : new SimpleRnn.Builder().nIn(2).nOut(4).activation(Activation.TANH).dropOut(keep).build();
    }

    /** A softmax output at every step over the recurrent layer's units. */
    private static RnnOutputLayer rnnOutput(Family family) {
        long units = family == Family.LSTM || family == Family.LSTM_GRAPH ? 3 : 4;
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(units).nOut(2)
                .activation(Activation.SOFTMAX).build();
    }

    /** Generated data the family's network can learn. */
    public static DataSet data(Family family, int examples, long seed) {
        return switch (family) {
            case CNN -> images(examples, seed);
            case LSTM, LSTM_GRAPH, SIMPLE_RNN, SIMPLE_RNN_GRAPH -> sequences(examples, seed);
            case EMBEDDING -> tokens(examples, seed);
            case EMBEDDING_SEQUENCE -> tokenSequences(examples, seed);
        };
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * 6x6 one-channel images: noise (0.3) with a bright 2x2 block in the top left, top right or bottom middle,
     * which is the class (one-hot, 3 classes, with label noise).
     */
    public static DataSet images(int examples, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, examples, 1, 6, 6);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, examples, 3);
        int[][] corners = {{0, 0}, {0, 4}, {4, 2}};
        for (int i = 0; i < examples; i++) {
            int shown = i % 3;
            for (int r = 0; r < 6; r++) {
                for (int c = 0; c < 6; c++) {
                    boolean bright = r - corners[shown][0] >= 0 && r - corners[shown][0] < 2
                            && c - corners[shown][1] >= 0 && c - corners[shown][1] < 2;
                    x.putScalar(new long[] {i, 0, r, c}, (bright ? 1 : 0) + 0.3 * random.nextGaussian());
                }
            }
            y.putScalar(i, noisy(shown, 3, random), 1);
        }
        return new DataSet(x, y);
    }

    /** The label, or with probability {@link #LABEL_NOISE} a class drawn at random. */
    private static int noisy(int label, int classes, Random random) {
        return random.nextDouble() < LABEL_NOISE ? random.nextInt(classes) : label;
    }

    /**
     * Sequences of 2 features and 3 to {@value #MAX_LENGTH} steps, padded to {@value #MAX_LENGTH}, with a label
     * at every step: whether the running sum of the first feature is positive (one-hot, 2 classes, with label
     * noise). The feature and label masks mark the real steps; the padding holds large random values, so a loss
     * that reads it is wrong.
     */
    public static DataSet sequences(int examples, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, examples, 2, MAX_LENGTH);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, examples, 2, MAX_LENGTH);
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, examples, MAX_LENGTH);
        for (int i = 0; i < examples; i++) {
            int length = 3 + random.nextInt(MAX_LENGTH - 2);
            double sum = 0;
            for (int t = 0; t < MAX_LENGTH; t++) {
                boolean real = t < length;
                double first = real ? random.nextGaussian() : 50 * random.nextGaussian();
                x.putScalar(new long[] {i, 0, t}, first);
                x.putScalar(new long[] {i, 1, t}, real ? random.nextGaussian() : 50 * random.nextGaussian());
                sum += first;
                y.putScalar(new long[] {i, noisy(sum > 0 ? 1 : 0, 2, random), t}, 1);
                mask.putScalar(i, t, real ? 1 : 0);
            }
        }
        return new DataSet(x, y, mask, mask.dup());
    }

    /**
     * Single tokens in [0, {@value #VOCABULARY}) as a column of indices; the class is the token modulo 3 (with
     * label noise).
     */
    public static DataSet tokens(int examples, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, examples, 1);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, examples, 3);
        for (int i = 0; i < examples; i++) {
            int token = random.nextInt(VOCABULARY);
            x.putScalar(i, 0, token);
            y.putScalar(i, noisy(token % 3, 3, random), 1);
        }
        return new DataSet(x, y);
    }

    /**
     * Token sequences of 2 to {@value #MAX_LENGTH} tokens, padded with random tokens, and a feature mask; the class
     * is whether most real tokens are below half the vocabulary (one-hot, 2 classes, with label noise).
     */
    public static DataSet tokenSequences(int examples, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, examples, MAX_LENGTH);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, examples, 2);
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, examples, MAX_LENGTH);
        for (int i = 0; i < examples; i++) {
            int length = 2 + random.nextInt(MAX_LENGTH - 1);
            int low = 0;
            for (int t = 0; t < MAX_LENGTH; t++) {
                int token = random.nextInt(VOCABULARY);
                x.putScalar(i, t, token);
                if (t < length) {
                    mask.putScalar(i, t, 1);
                    low += token < VOCABULARY / 2 ? 1 : -1;
                }
            }
            y.putScalar(i, noisy(low > 0 ? 1 : 0, 2, random), 1);
        }
        return new DataSet(x, y, mask, null);
    }
}
