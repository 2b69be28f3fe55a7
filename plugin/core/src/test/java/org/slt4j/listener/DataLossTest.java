package org.slt4j.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RunHistory;

/**
 * The data loss of the loss records against a direct computation: the same network without regularization, at the
 * parameters before each update, scored on the same minibatch. The weights are large and the weight decay 1.0, so the
 * score is thousands of times the data loss, the set-up in which a subtraction loses the data loss.
 */
class DataLossTest {
    private static final int ITERATIONS = 5;
    /** Absolute agreement: a few roundings of a double near the score (about 3,000, ulp 4.5e-13). */
    private static final double TOLERANCE = 1e-9;

    @Test
    void aMultiLayerNetworksDataLossIsTheUnregularizedScoreAtTheParametersOfTheUpdate() {
        MultiLayerNetwork net = network(true);
        MultiLayerNetwork unregularized = network(false);
        DataSet data = teacherData(x -> net.output(x, false));
        SymmetryListener listener = new SymmetryListener.Builder(data).symmetrySchedule(Schedule.never()).build();
        net.setListeners(listener);
        List<INDArray> before = new ArrayList<>();
        List<Double> naive = new ArrayList<>();
        for (int i = 0; i < ITERATIONS; i++) {
            before.add(net.params().dup());
            net.fit(data);
            // What subtracting the penalty after the update would give.
            naive.add(net.score() - net.calcRegularizationScore(true));
        }
        listener.close();

        List<LossRecord> loss = listener.history().lossRecords();
        assertThat(loss).hasSize(ITERATIONS);
        for (int i = 0; i < ITERATIONS; i++) {
            unregularized.setParams(before.get(i));
            double direct = unregularized.score(data, true);
            LossRecord r = loss.get(i);
            assertThat(r.score()).as("score at iteration %d", i).isGreaterThan(1000 * direct);
            assertThat(r.dataLoss()).as("data loss at iteration %d", i).isCloseTo(direct, within(TOLERANCE));
            // The test has power: the naive difference is wrong by far more than the tolerance.
            assertThat(Math.abs(naive.get(i) - direct)).isGreaterThan(1e6 * TOLERANCE);
        }
        assertThat(listener.history().lossKind()).isEqualTo(RunHistory.LossKind.DATA_LOSS);
        assertThat(listener.history().scoreDiffersFromLoss()).isTrue();
    }

    @Test
    void aComputationGraphsDataLossIsTheUnregularizedScoreToo() {
        ComputationGraph graph = graph(true);
        ComputationGraph unregularized = graph(false);
        DataSet data = teacherData(x -> graph.outputSingle(false, x));
        SymmetryListener listener = new SymmetryListener.Builder(data).symmetrySchedule(Schedule.never()).build();
        graph.setListeners(listener);
        List<INDArray> before = new ArrayList<>();
        for (int i = 0; i < ITERATIONS; i++) {
            before.add(graph.params().dup());
            graph.fit(data);
        }
        listener.close();

        List<LossRecord> loss = listener.history().lossRecords();
        assertThat(loss).hasSize(ITERATIONS);
        for (int i = 0; i < ITERATIONS; i++) {
            unregularized.setParams(before.get(i));
            assertThat(loss.get(i).dataLoss()).isCloseTo(unregularized.score(data, true), within(TOLERANCE));
            assertThat(loss.get(i).score()).isGreaterThan(1000 * loss.get(i).dataLoss());
        }
    }

    @Test
    void anOutputLayerThatDoesNotKeepItsRegularizationTermGetsItComputedAgain() {
        // LossLayer is no BaseOutputLayer: the listener computes the term with calcRegularizationScore instead.
        MultiLayerNetwork net = lossLayerNetwork(true);
        MultiLayerNetwork unregularized = lossLayerNetwork(false);
        DataSet data = teacherData(x -> net.output(x, false));
        SymmetryListener listener = new SymmetryListener.Builder(data).symmetrySchedule(Schedule.never()).build();
        net.setListeners(listener);
        INDArray before = net.params().dup();
        net.fit(data);
        listener.close();

        unregularized.setParams(before);
        LossRecord r = listener.history().lossRecords().get(0);
        assertThat(r.score()).isGreaterThan(1000 * r.dataLoss());
        assertThat(r.dataLoss()).isCloseTo(unregularized.score(data, true), within(TOLERANCE));
    }

    @Test
    void measureRecordsTheDataLossOfAGivenScore() {
        MultiLayerNetwork net = network(true);
        MultiLayerNetwork unregularized = network(false);
        DataSet data = teacherData(x -> net.output(x, false));
        SymmetryListener listener = new SymmetryListener.Builder(data).symmetrySchedule(Schedule.never()).build();

        listener.measure(net, 100, 2, net.score(data, false));
        listener.close();

        LossRecord r = listener.history().lossRecords().get(0);
        assertThat(r.iteration()).isEqualTo(100);
        assertThat(r.dataLoss()).isCloseTo(unregularized.score(data, false), within(TOLERANCE));
    }

    @Test
    void withoutRegularizationTheDataLossIsTheScore() {
        MultiLayerNetwork net = network(false);
        DataSet data = teacherData(x -> net.output(x, false));
        SymmetryListener listener = new SymmetryListener.Builder(data).symmetrySchedule(Schedule.never()).build();
        net.setListeners(listener);
        net.fit(data);
        listener.close();

        LossRecord r = listener.history().lossRecords().get(0);
        assertThat(r.dataLoss()).isEqualTo(r.score());
        assertThat(listener.history().scoreDiffersFromLoss()).isFalse();
    }

    @Test
    void aModelTrainedWithoutTheGradientCallbackHasNoDataLossAndReadersFallBackToTheScore() {
        MultiLayerNetwork net = network(true);
        DataSet data = teacherData(x -> net.output(x, false));
        SymmetryListener listener = new SymmetryListener.Builder(data).symmetrySchedule(Schedule.never()).build();
        net.fit(data);
        // A training loop of its own calls only iterationDone.
        listener.iterationDone(net, 0, 0);
        listener.close();

        RunHistory history = listener.history();
        assertThat(history.lossRecords().get(0).dataLoss()).isNaN();
        assertThat(history.lossKind()).isEqualTo(RunHistory.LossKind.SCORE);
        assertThat(history.loss().values()).containsExactly(net.score());
    }

    /** 4-6-2 tanh, MSE, double precision, weights 40 times DL4J's initialization; weight decay 1.0 or none. */
    private static MultiLayerNetwork network(boolean weightDecay) {
        MultiLayerConfiguration conf = builder(weightDecay).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.params().muli(40);
        return net;
    }

    /** The 4-6-2 network with an identity dense layer and a parameter-free MSE LossLayer on top. */
    private static MultiLayerNetwork lossLayerNetwork(boolean weightDecay) {
        MultiLayerNetwork net = new MultiLayerNetwork(builder(weightDecay).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(6).nOut(2).activation(Activation.IDENTITY).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        net.params().muli(40);
        return net;
    }

    private static ComputationGraph graph(boolean weightDecay) {
        ComputationGraphConfiguration conf = builder(weightDecay).graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(2)
                        .activation(Activation.IDENTITY).build(), "hidden")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.params().muli(40);
        return graph;
    }

    private static NeuralNetConfiguration.Builder builder(boolean weightDecay) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .updater(new Sgd(1e-3));
        return weightDecay ? b.weightDecay(1.0) : b;
    }

    /** Labels the model's own outputs plus noise of 0.1: the data loss starts near 0.01. */
    private static DataSet teacherData(UnaryOperator<INDArray> model) {
        Random random = new Random(3);
        INDArray x = Nd4j.create(DataType.DOUBLE, 32, 4);
        INDArray noise = Nd4j.create(DataType.DOUBLE, 32, 2);
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 4; j++) {
                x.putScalar(i, j, random.nextGaussian());
            }
            for (int j = 0; j < 2; j++) {
                noise.putScalar(i, j, 0.1 * random.nextGaussian());
            }
        }
        INDArray y = model.apply(x).add(noise);
        return new DataSet(x, y);
    }
}
