package org.slt4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny networks and generated data for tests. */
public final class TinyNetworks {

    private TinyNetworks() {
    }

    /**
     * A 4-8-3 classifier (ReLU hidden layer, softmax output) with Adam, L2 and dropout configured, so tests can
     * check that the estimator ignores regularization and dropout and leaves the updater state alone.
     */
    public static MultiLayerNetwork classifier(WorkspaceMode workspaces, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
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

    /** The same architecture as {@link #classifier} as a ComputationGraph. */
    public static ComputationGraph classifierGraph(WorkspaceMode workspaces, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new Adam(0.01)).l2(1e-3).trainingWorkspaceMode(workspaces)
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

    /**
     * A 4-8-3 network whose last layer is a softmax DenseLayer, not an output layer: no loss, as a Keras model
     * imported without its loss.
     */
    public static MultiLayerNetwork withoutLoss() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(8).nOut(3).activation(Activation.SOFTMAX).build()).build());
        net.init();
        return net;
    }

    /** A graph whose output, "hidden", is a 4-3 softmax DenseLayer, not an output layer: no loss. */
    public static ComputationGraph graphWithoutLoss() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.SOFTMAX).build(),
                        "in")
                .setOutputs("hidden").build());
        graph.init();
        return graph;
    }

    /**
     * A 3-width-1 regression network: a tanh hidden layer, an identity output with the MSE loss, Adam (learning
     * rate 0.01), double precision. Trained on {@link #teacherData} it is the small real network whose LLC has no
     * exact value: the tests check its estimates for consistency instead.
     */
    public static MultiLayerNetwork regression(int width, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new Adam(0.01)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(width).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(width).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    /**
     * Examples of a fixed 3-2-1 tanh teacher ({@link #regression}{@code (2, 11)} at initialization): standard normal
     * inputs, the teacher's output plus Gaussian noise of standard deviation 0.1, drawn from ND4J's generator
     * seeded with {@code seed} (the teacher's initialization reseeds it with 11 before the noise is drawn).
     */
    public static DataSet teacherData(int examples, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.DOUBLE, examples, 3);
        MultiLayerNetwork teacher = regression(2, 11);
        INDArray noise = Nd4j.randn(DataType.DOUBLE, examples, 1).muli(0.1);
        return new DataSet(x, teacher.output(x).add(noise));
    }

    /**
     * {@link #blobs(int, long) blobs}{@code (rows, 3)} as the command line reads them: a headerless CSV of the 4
     * features (6 decimals), then the class index.
     */
    public static Path blobsCsv(Path file, int rows) throws IOException {
        DataSet data = blobs(rows, 3);
        INDArray x = data.getFeatures();
        INDArray y = data.getLabels();
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < x.columns(); c++) {
                line.append(String.format(Locale.ROOT, "%.6f,", x.getDouble(r, c)));
            }
            lines.add(line.append(y.getRow(r).argMax().getInt(0)).toString());
        }
        return Files.write(file, lines);
    }

    /**
     * A directory written by DL4J's CheckpointListener, {@code dir/checkpoints}: the {@link #classifier} (seed 7)
     * trained full-batch on 60 {@link #blobs} for {@code iterations} iterations, saved every {@code every}.
     */
    public static Path checkpointDir(Path dir, int every, int iterations) throws IOException {
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        MultiLayerNetwork net = classifier(WorkspaceMode.ENABLED, 7);
        net.setListeners(new CheckpointListener.Builder(checkpoints.toFile()).keepAll().saveEveryNIterations(every)
                .build());
        DataSet data = blobs(60, 3);
        for (int i = 0; i < iterations; i++) {
            net.fit(data);
        }
        return checkpoints;
    }

    /** Three Gaussian blobs in 4 dimensions (noise 0.5), one-hot labels. */
    public static DataSet blobs(int examples, long seed) {
        return blobs(examples, seed, 0.5);
    }

    /** Three Gaussian blobs in 4 dimensions with the given noise standard deviation, one-hot labels. */
    public static DataSet blobs(int examples, long seed, double noise) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, examples, 4);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, examples, 3);
        for (int i = 0; i < examples; i++) {
            int label = i % 3;
            for (int j = 0; j < 4; j++) {
                x.putScalar(i, j, random.nextGaussian() * noise + (j == label ? 2 : 0));
            }
            y.putScalar(i, label, 1);
        }
        return new DataSet(x, y);
    }
}
