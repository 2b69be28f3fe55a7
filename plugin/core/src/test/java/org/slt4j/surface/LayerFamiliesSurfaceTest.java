package org.slt4j.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.testing.LayerFamilies;
import org.slt4j.testing.LayerFamilies.Family;
import org.slt4j.testing.TinyNetworks;

/**
 * Surfaces of the layer families DL4J users train: masked sequences, dropout, graphs with several inputs and
 * outputs, and the networks and data a surface must refuse.
 */
class LayerFamiliesSurfaceTest {
    private static final int[] BATCH = {0, 3, 4, 9, 17, 22, 30, 31};

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Family.class, names = {"LSTM", "LSTM_GRAPH", "SIMPLE_RNN", "SIMPLE_RNN_GRAPH",
        "EMBEDDING_SEQUENCE"})
    void maskedSequencesGiveDl4jsLossPerSequenceAndThePaddingIsNeverRead(Family family) {
        Model network = LayerFamilies.network(family, 1);
        DataSet data = LayerFamilies.data(family, 40, 2);
        DataSet garbled = garblePadding(data);
        double loss = LayerFamilies.surface(network, data).newEvaluator().loss(BATCH);
        double fromGarbled = LayerFamilies.surface(network, garbled).newEvaluator().loss(BATCH);

        assertThat(LayerFamilies.surface(network, data).dataSize()).as("n counts sequences").isEqualTo(40);
        assertThat(loss).isCloseTo(dl4jScore(network, examples(data, BATCH)), within(1e-12));
        assertThat(fromGarbled).isEqualTo(loss);
    }

    @Test
    void sequencesOfDifferentLengthsInSeparateBatchesAreMergedWithTheirMasks() {
        MultiLayerNetwork network = (MultiLayerNetwork) LayerFamilies.network(Family.LSTM, 1);
        DataSet data = LayerFamilies.data(Family.LSTM, 40, 2);
        // Two batches padded to different lengths (the first cut one step short), the second without masks at all.
        DataSet cut = examples(data, BATCH);
        int steps = LayerFamilies.MAX_LENGTH - 1;
        DataSet shortOnes = new DataSet(cut.getFeatures().get(all(), all(), interval(0, steps)).dup(),
                cut.getLabels().get(all(), all(), interval(0, steps)).dup(),
                cut.getFeaturesMaskArray().get(all(), interval(0, steps)).dup(),
                cut.getLabelsMaskArray().get(all(), interval(0, steps)).dup());
        DataSet unmasked = new DataSet(data.getFeatures().get(interval(32, 40)).dup(),
                data.getLabels().get(interval(32, 40)).dup());
        List<DataSet> parts = List.of(shortOnes, unmasked);

        LossSurface surface = NetworkSurfaces.of(network, parts);

        assertThat(surface.dataSize()).isEqualTo(BATCH.length + 8);
        int[] first = java.util.stream.IntStream.range(0, BATCH.length).toArray();
        int[] second = java.util.stream.IntStream.range(BATCH.length, BATCH.length + 8).toArray();
        assertThat(surface.newEvaluator().loss(first)).isCloseTo(dl4jScore(network, shortOnes), within(1e-12));
        assertThat(surface.newEvaluator().loss(second)).isCloseTo(dl4jScore(network, unmasked), within(1e-12));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Family.class)
    void dropoutIsOffSoTheSampledLossIsAFunctionOfTheParameters(Family family) {
        Model network = LayerFamilies.network(family, 1);
        LossSurface surface = LayerFamilies.surface(network, LayerFamilies.data(family, 40, 2));

        try (LossSurface.Evaluator one = surface.newEvaluator(); LossSurface.Evaluator other = surface.newEvaluator()) {
            double loss = one.lossAndGradient(BATCH);
            INDArray gradient = one.gradient().dup();
            assertThat(one.lossAndGradient(BATCH)).isEqualTo(loss);
            assertThat(other.lossAndGradient(BATCH)).isEqualTo(loss);
            assertThat(other.gradient()).isEqualTo(gradient);
            assertThat(one.loss(BATCH)).isEqualTo(other.loss(BATCH)).isCloseTo(loss, within(1e-12));
        }
    }

    @Test
    void aGraphWithTwoInputsAndTwoOutputsHasTheSumOfItsOutputsLosses() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).graphBuilder().addInputs("a", "b")
                .addLayer("da", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), "a")
                .addLayer("db", new DenseLayer.Builder().nIn(2).nOut(3).activation(Activation.TANH).build(), "b")
                .addVertex("merge", new MergeVertex(), "da", "db")
                .addLayer("class", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(7).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "merge")
                .addLayer("value", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build(), "da")
                .setOutputs("class", "value").build());
        graph.init();
        DataSet blobs = TinyNetworks.blobs(40, 5);
        MultiDataSet data = new org.nd4j.linalg.dataset.MultiDataSet(
                new INDArray[] {Nd4j.rand(DataType.DOUBLE, 40, 3), Nd4j.rand(DataType.DOUBLE, 40, 2)},
                new INDArray[] {blobs.getLabels(), Nd4j.rand(DataType.DOUBLE, 40, 2)});

        LossSurface surface = NetworkSurfaces.of(graph, List.of(data));

        assertThat(surface.dimension()).isEqualTo(graph.numParams());
        try (LossSurface.Evaluator evaluator = surface.newEvaluator()) {
            double loss = evaluator.lossAndGradient(BATCH);
            INDArray gradient = evaluator.gradient().dup();
            assertThat(loss).isCloseTo(graph.score(gather(data, BATCH), false), within(1e-12));
            NetworkSurfacesTest.assertIsTheLossDerivative(gradient, evaluator, BATCH, 3);
        }
    }

    @Test
    void aNetworkWithoutALossLayerIsRefusedNamingItsLastLayer() {
        MultiLayerNetwork noLoss = TinyNetworks.withoutLoss();

        assertThatThrownBy(() -> NetworkSurfaces.of(noLoss, TinyNetworks.blobs(20, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("network's last layer must be an output or loss layer, which defines the loss the LLC "
                        + "samples (got: layer 1, a DenseLayer; add an OutputLayer or LossLayer, as a Keras import "
                        + "without a loss lacks one)");
    }

    @Test
    void aGraphWhoseOutputIsNoLossLayerIsRefusedNamingTheOutput() {
        ComputationGraph denseOut = TinyNetworks.graphWithoutLoss();
        ComputationGraph mergeOut = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).graphBuilder().addInputs("in")
                .addLayer("left", new DenseLayer.Builder().nIn(4).nOut(2).build(), "in")
                .addLayer("right", new DenseLayer.Builder().nIn(4).nOut(1).build(), "in")
                .addVertex("both", new MergeVertex(), "left", "right").setOutputs("both").build());
        mergeOut.init();
        List<MultiDataSet> data = List.of(TinyNetworks.blobs(20, 1).toMultiDataSet());

        assertThatThrownBy(() -> NetworkSurfaces.of(denseOut, data)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("graph output hidden must be an output or loss layer, which defines the loss the LLC "
                        + "samples (got: a DenseLayer; add an OutputLayer or LossLayer after it)");
        assertThatThrownBy(() -> NetworkSurfaces.of(mergeOut, data)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("graph output both must be an output or loss layer")
                .hasMessageContaining("got: a MergeVertex");
    }

    @Test
    void aMaskThatDoesNotFitItsArrayIsRefusedWithBothShapes() {
        MultiLayerNetwork network = (MultiLayerNetwork) LayerFamilies.network(Family.LSTM, 1);
        DataSet data = LayerFamilies.data(Family.LSTM, 20, 2);
        int steps = LayerFamilies.MAX_LENGTH;
        DataSet shortMask = new DataSet(data.getFeatures(), data.getLabels(),
                Nd4j.ones(DataType.DOUBLE, 20, steps - 1), data.getLabelsMaskArray());
        DataSet fewerExamples = new DataSet(data.getFeatures(), data.getLabels(), data.getFeaturesMaskArray(),
                Nd4j.ones(DataType.DOUBLE, 19, steps));

        assertThatThrownBy(() -> NetworkSurfaces.of(network, shortMask)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features mask 0 must have shape [20, %d] or [20, 2] or [20, 2, %d] to fit features of "
                        + "shape [20, 2, %d] (got: [20, %d])", steps, steps, steps, steps - 1);
        assertThatThrownBy(() -> NetworkSurfaces.of(network, fewerExamples))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("labels mask 0 must have shape [20, %d]", steps)
                .hasMessageEndingWith("(got: [19, %d])", steps);
    }

    /**
     * The data with every padded step (features mask 0) changed: sequence values moved by 1000, tokens replaced by
     * the next token. A loss that reads the padding changes.
     */
    private static DataSet garblePadding(DataSet data) {
        DataSet garbled = data.copy();
        INDArray mask = garbled.getFeaturesMaskArray();
        INDArray features = garbled.getFeatures();
        for (int i = 0; i < mask.size(0); i++) {
            for (int t = 0; t < mask.size(1); t++) {
                if (mask.getDouble(i, t) != 0) {
                    continue;
                }
                if (features.rank() == 3) {
                    for (int c = 0; c < features.size(1); c++) {
                        features.putScalar(new long[] {i, c, t}, features.getDouble(i, c, t) + 1000);
                    }
                } else {
                    features.putScalar(i, t, (features.getDouble(i, t) + 1) % LayerFamilies.VOCABULARY);
                }
            }
        }
        return garbled;
    }

    /** DL4J's own mean loss in test mode (no dropout, so the loss the surface samples for these networks). */
    private static double dl4jScore(Model network, DataSet data) {
        return network instanceof MultiLayerNetwork net ? net.score(data, false)
                : ((ComputationGraph) network).score(data.toMultiDataSet(), false);
    }

    /** The examples at the given indices, masks included, gathered one by one with DL4J's own DataSet methods. */
    private static DataSet examples(DataSet data, int[] indices) {
        List<DataSet> rows = new ArrayList<>();
        for (int i : indices) {
            rows.add(data.get(i));
        }
        return DataSet.merge(rows);
    }

    private static MultiDataSet gather(MultiDataSet data, int[] indices) {
        INDArray[] features = new INDArray[data.numFeatureArrays()];
        INDArray[] labels = new INDArray[data.numLabelsArrays()];
        for (int i = 0; i < features.length; i++) {
            features[i] = Nd4j.pullRows(data.getFeatures(i), 1, indices);
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = Nd4j.pullRows(data.getLabels(i), 1, indices);
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(features, labels);
    }
}
