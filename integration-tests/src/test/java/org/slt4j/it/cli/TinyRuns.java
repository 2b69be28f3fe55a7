package org.slt4j.it.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.listener.Schedule;
import org.slt4j.listener.SltListener;
import org.slt4j.llc.LlcConfig;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.RunHistory;
import org.slt4j.testing.TinyNetworks;

/**
 * The tiny training run the CI-style tests check: a 4-WIDTH-3 ReLU classifier on Gaussian blobs, trained with
 * fixed seeds and the combined slt4j listener (synchronous, no overhead budget, so every scheduled diagnostic runs
 * and a rerun reproduces the same numbers).
 */
final class TinyRuns {
    static final int EXAMPLES = 120;
    static final int ITERATIONS = 60;
    static final int REGRESSION_EXAMPLES = 1_000;
    static final int REGRESSION_ITERATIONS = 6_000;
    static final int REGRESSION_STEP_CAP = 60_000;
    /**
     * The regression's localization: fixed, as a baseline comparing networks needs (the default scales with each
     * network's curvature, and these networks' LLC depends on it).
     */
    static final double REGRESSION_LOCALIZATION = 100;

    private TinyRuns() {
    }

    /** The 4-width-3 classifier with Adam and the given L2 weight decay. */
    static MultiLayerNetwork classifier(int width, double l2) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.DOUBLE)
                .updater(new Adam(0.02)).l2(l2).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(width).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(width).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Three Gaussian blobs in 4 dimensions with one-hot labels (the shared fixture, noise 0.7). */
    static DataSet blobs(int examples, long seed) {
        return TinyNetworks.blobs(examples, seed, 0.7);
    }

    /**
     * Trains the classifier full-batch for {@link #ITERATIONS} iterations with the listener attached, writing the
     * run to {@code jsonl}, and returns it as read back from that file.
     */
    static RunHistory train(int width, double l2, Path jsonl) throws IOException {
        DataSet data = blobs(EXAMPLES, 5);
        MultiLayerNetwork net = classifier(width, l2);
        SltListener slt = new SltListener.Builder(data, EXAMPLES).overheadBudget(Double.POSITIVE_INFINITY)
                .llcSchedule(Schedule.atIterations(20, 40, 59))
                .llcConfig(new LlcConfig.Builder().trainingSetSize(EXAMPLES).chains(4).burnInSteps(50).draws(100)
                        .batchSize(32).stepSize(1e-4).localization(100).seed(3).threads(2).build())
                .symmetrySchedule(Schedule.everyNIterations(10)).sink(new JsonlSink(jsonl)).build();
        net.setListeners(slt);
        for (int i = 0; i < ITERATIONS; i++) {
            net.fit(data);
        }
        slt.close();
        return RunHistory.readJsonl(jsonl);
    }

    /**
     * Trains the 3-width-1 tanh regression ({@code TinyNetworks.regression}) full-batch for
     * {@link #REGRESSION_ITERATIONS} iterations on {@link #REGRESSION_EXAMPLES} examples of the 3-2-1 teacher, with
     * the listener attached, estimating once, at the last iteration, at localization {@value #REGRESSION_LOCALIZATION}
     * with the other LLC settings automatic (the defaults) but for a step cap of {@value #REGRESSION_STEP_CAP} per
     * chain, so its LLC reaches a standard error of 2%. Writes the run to {@code jsonl} and returns it as read back
     * from that file.
     */
    static RunHistory trainRegression(int width, Path jsonl) throws IOException {
        DataSet data = TinyNetworks.teacherData(REGRESSION_EXAMPLES, 3);
        MultiLayerNetwork net = TinyNetworks.regression(width, 5);
        SltListener slt = new SltListener.Builder(data, REGRESSION_EXAMPLES).overheadBudget(Double.POSITIVE_INFINITY)
                .llcConfig(new LlcConfig.Builder().trainingSetSize(REGRESSION_EXAMPLES)
                        .localization(REGRESSION_LOCALIZATION).maxStepsPerChain(REGRESSION_STEP_CAP).build())
                .llcSchedule(Schedule.atIterations(REGRESSION_ITERATIONS - 1))
                .symmetrySchedule(Schedule.everyNIterations(1_000)).sink(new JsonlSink(jsonl)).build();
        net.setListeners(slt);
        for (int i = 0; i < REGRESSION_ITERATIONS; i++) {
            net.fit(data);
        }
        slt.close();
        return RunHistory.readJsonl(jsonl);
    }

    /** Writes data as a headerless CSV: the features, then the class index. */
    static Path csv(DataSet data, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < data.numExamples(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < data.getFeatures().columns(); c++) {
                line.append(String.format(Locale.ROOT, "%.8f,", data.getFeatures().getDouble(r, c)));
            }
            lines.add(line.append(data.getLabels().getRow(r).argMax().getInt(0)).toString());
        }
        return Files.write(file, lines);
    }
}
