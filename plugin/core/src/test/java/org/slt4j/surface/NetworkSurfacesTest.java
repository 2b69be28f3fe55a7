package org.slt4j.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.testing.TinyNetworks;

class NetworkSurfacesTest {

    @Test
    void gradientIsTheGradientOfTheMeanUnregularizedLoss() {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        DataSet data = TinyNetworks.blobs(30, 2);
        LossSurface surface = NetworkSurfaces.of(net, data);
        int[] batch = {0, 3, 4, 7, 11, 12, 20, 29};

        try (LossSurface.Evaluator evaluator = surface.newEvaluator()) {
            double loss = evaluator.lossAndGradient(batch);
            INDArray gradient = evaluator.gradient().dup();
            // Unregularized mean loss: the network's per-example scores without L2, averaged.
            INDArray rows = Nd4j.pullRows(data.getFeatures(), 1, batch);
            INDArray labels = Nd4j.pullRows(data.getLabels(), 1, batch);
            double expected = net.scoreExamples(new DataSet(rows, labels), false).meanNumber().doubleValue();
            assertThat(loss).isCloseTo(expected, within(1e-10));
            assertThat(evaluator.loss(batch)).isCloseTo(expected, within(1e-10));

            assertIsTheLossDerivative(gradient, evaluator, batch, 5);
        }
    }

    /**
     * Checks every {@code stride}-th component of a gradient against central differences (step 1e-6) of the
     * evaluator's loss on the batch, to 1e-6; leaves the evaluator's parameters as they were.
     */
    static void assertIsTheLossDerivative(INDArray gradient, LossSurface.Evaluator evaluator, int[] batch,
            int stride) {
        INDArray w = evaluator.parameters();
        double h = 1e-6;
        for (int i = 0; i < w.length(); i += stride) {
            double original = w.getDouble(i);
            w.putScalar(i, original + h);
            double up = evaluator.loss(batch);
            w.putScalar(i, original - h);
            double down = evaluator.loss(batch);
            w.putScalar(i, original);
            assertThat(gradient.getDouble(i)).as("d loss / d w_%s", i).isCloseTo((up - down) / (2 * h),
                    within(1e-6));
        }
    }

    @ParameterizedTest
    @EnumSource(value = WorkspaceMode.class, names = {"ENABLED", "NONE"})
    void estimatingLeavesTheMultiLayerNetworkBitForBitUnchanged(WorkspaceMode workspaces) {
        MultiLayerNetwork net = TinyNetworks.classifier(workspaces, 3);
        DataSet data = TinyNetworks.blobs(60, 4);
        ScoreIterationListener listener = new ScoreIterationListener(1000);
        net.setListeners(listener);
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        INDArray params = net.params().dup();
        INDArray updaterState = net.getUpdater().getStateViewArray().dup();
        INDArray input = net.getInput();
        double score = net.score();
        int iterations = net.getIterationCount();

        new LlcEstimator(smallConfig()).estimate(net, new ListDataSetIterator<>(data.asList(), 16));

        assertThat(net.params()).isEqualTo(params);
        assertThat(net.getUpdater().getStateViewArray()).isEqualTo(updaterState);
        assertThat(net.getInput()).isSameAs(input);
        assertThat(net.score()).isEqualTo(score);
        assertThat(net.getIterationCount()).isEqualTo(iterations);
        assertThat(net.getListeners()).containsExactly(listener);
    }

    @ParameterizedTest
    @EnumSource(value = WorkspaceMode.class, names = {"ENABLED", "NONE"})
    void estimatingLeavesTheComputationGraphBitForBitUnchanged(WorkspaceMode workspaces) {
        ComputationGraph graph = TinyNetworks.classifierGraph(workspaces, 3);
        DataSet data = TinyNetworks.blobs(60, 4);
        ScoreIterationListener listener = new ScoreIterationListener(1000);
        graph.setListeners(listener);
        for (int i = 0; i < 5; i++) {
            graph.fit(data);
        }
        INDArray params = graph.params().dup();
        INDArray updaterState = graph.getUpdater().getStateViewArray().dup();
        double score = graph.score();

        new LlcEstimator(smallConfig()).estimate(NetworkSurfaces.of(graph,
                new ListDataSetIterator<>(data.asList(), 16)));

        assertThat(graph.params()).isEqualTo(params);
        assertThat(graph.getUpdater().getStateViewArray()).isEqualTo(updaterState);
        assertThat(graph.score()).isEqualTo(score);
        assertThat(graph.getListeners()).containsExactly(listener);
    }

    @Test
    void graphAndMultiLayerNetworkWithTheSameWeightsHaveTheSameLoss() {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 5);
        ComputationGraph graph = TinyNetworks.classifierGraph(WorkspaceMode.ENABLED, 6);
        graph.setParams(net.params());
        DataSet data = TinyNetworks.blobs(20, 7);
        int[] batch = {1, 2, 3, 5, 8, 13};

        double fromNet = NetworkSurfaces.of(net, data).newEvaluator().lossAndGradient(batch);
        double fromGraph = NetworkSurfaces.of(graph, List.of(data.toMultiDataSet())).newEvaluator()
                .lossAndGradient(batch);

        assertThat(fromGraph).isCloseTo(fromNet, within(1e-12));
    }

    @Test
    void iteratorsAreReadWholeAndResetSoEveryInputFormGivesTheSameLoss() {
        ComputationGraph graph = TinyNetworks.classifierGraph(WorkspaceMode.ENABLED, 6);
        DataSet data = TinyNetworks.blobs(40, 8);
        ListDataSetIterator<DataSet> batches = new ListDataSetIterator<>(data.asList(), 16);
        int[] all = java.util.stream.IntStream.range(0, 40).toArray();

        double fromList = NetworkSurfaces.of(graph, List.of(data.toMultiDataSet())).newEvaluator().loss(all);
        double fromIterator = NetworkSurfaces.of(graph, batches).newEvaluator().loss(all);
        double fromMultiIterator = NetworkSurfaces.of(graph,
                new org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter(batches)).newEvaluator().loss(all);

        assertThat(fromIterator).isCloseTo(fromList, within(1e-12));
        assertThat(fromMultiIterator).isCloseTo(fromList, within(1e-12));
        assertThat(batches.hasNext()).as("the iterator is reset after reading").isTrue();
    }

    @Test
    void aNetworkWhoseLayersAreAllFrozenIsRefused() {
        // DL4J does not freeze output layers; a parameter-free loss layer after a frozen one leaves nothing to train.
        MultiLayerNetwork allFrozen = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).list()
                .layer(new FrozenLayerWithBackprop(new DenseLayer.Builder().nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build()))
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY)
                        .build())
                .build());
        allFrozen.init();
        assertThatThrownBy(() -> NetworkSurfaces.of(allFrozen, TinyNetworks.blobs(24, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("network must have trainable parameters (got: all 15 are in frozen layers or batch "
                        + "normalization statistics)");
    }

    @Test
    void anUninitializedNetworkIsRejected() {
        MultiLayerNetwork net = new MultiLayerNetwork(
                TinyNetworks.classifier(WorkspaceMode.ENABLED, 1).getLayerWiseConfigurations());
        assertThatThrownBy(() -> NetworkSurfaces.of(net, TinyNetworks.blobs(10, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialized");
    }

    @Test
    void emptyDataIsRejected() {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        assertThatThrownBy(() -> NetworkSurfaces.of(net, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data must not be empty");
    }

    @Test
    void dataThatDoesNotFitTheNetworkIsRejectedWithItsShape() {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        DataSet wrong = new DataSet(Nd4j.rand(DataType.DOUBLE, 10, 5), Nd4j.rand(DataType.DOUBLE, 10, 3));
        assertThatThrownBy(() -> NetworkSurfaces.of(net, wrong))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit the network");
    }

    @Test
    void dataWithoutLabelsIsRejected() {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        DataSet unlabeled = new DataSet(Nd4j.rand(DataType.DOUBLE, 10, 4), null);
        assertThatThrownBy(() -> NetworkSurfaces.of(net, unlabeled))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels");
    }

    private static LlcConfig smallConfig() {
        return new LlcConfig.Builder().trainingSetSize(60).chains(2).burnInSteps(5).draws(10).batchSize(16)
                .stepSize(1e-4).localization(100).build();
    }
}
