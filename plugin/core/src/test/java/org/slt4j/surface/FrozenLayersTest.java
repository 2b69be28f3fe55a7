package org.slt4j.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.listener.Schedule;
import org.slt4j.listener.SltListener;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.report.RunHistory;
import org.slt4j.symmetry.SymmetryScanner;
import org.slt4j.symmetry.SymmetrySnapshot;
import org.slt4j.testing.TinyNetworks;

/** Networks with frozen layers: only the trainable parameters are sampled, the frozen ones held at their values. */
class FrozenLayersTest {

    @Test
    void aFeatureExtractorsFrozenLayerIsLeftOutOfTheSurfaceAndItsLossIsTheNetworks() {
        MultiLayerNetwork trained = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        MultiLayerNetwork frozen = new TransferLearning.Builder(trained).setFeatureExtractor(0).build();
        DataSet data = TinyNetworks.blobs(30, 2);
        long firstLayer = frozen.getLayer(0).numParams();

        LossSurface surface = NetworkSurfaces.of(frozen, data);
        LossSurface unfrozen = NetworkSurfaces.of(trained, data);

        assertThat(surface.dimension()).isEqualTo(frozen.numParams() - firstLayer);
        try (LossSurface.Evaluator e = surface.newEvaluator(); LossSurface.Evaluator full = unfrozen.newEvaluator()) {
            int[] batch = {0, 3, 7, 11};
            assertThat(e.lossAndGradient(batch)).isCloseTo(full.lossAndGradient(batch), within(1e-12));
            INDArray tail = full.gradient().reshape(full.gradient().length()).get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(firstLayer, frozen.numParams()));
            assertThat(e.gradient().reshape(e.gradient().length()).toDoubleVector()).containsExactly(
                    tail.toDoubleVector(), within(1e-12));
        }
        assertThat(NetworkSurfaces.layerRange(frozen, "1")).containsExactly(0, frozen.getLayer(1).numParams());
        assertThatThrownBy(() -> NetworkSurfaces.layerRange(frozen, "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 0 must be trainable");
    }

    @Test
    void aFrozenLayerWithBackpropInTheMiddleLeavesTwoRangesThatMoveAloneAndKeepTheGradient() {
        MultiLayerNetwork frozen = threeLayers(true);
        MultiLayerNetwork plain = threeLayers(false);
        plain.setParams(frozen.params());
        DataSet data = TinyNetworks.blobs(30, 3);
        long first = frozen.getLayer(0).numParams();
        long middle = frozen.getLayer(1).numParams();

        LossSurface surface = NetworkSurfaces.of(frozen, data);
        LossSurface full = NetworkSurfaces.of(plain, data);

        assertThat(surface.dimension()).isEqualTo(frozen.numParams() - middle);
        int[] batch = {1, 2, 5, 8, 13};
        try (LossSurface.Evaluator e = surface.newEvaluator(); LossSurface.Evaluator f = full.newEvaluator()) {
            // Move every trainable parameter: the restricted surface must equal the full one moved the same way,
            // with the middle layer left where it was.
            INDArray step = Nd4j.rand(DataType.DOUBLE, surface.dimension()).subi(0.5).muli(0.1);
            e.parameters().addi(step.reshape(e.parameters().shape()));
            INDArray fullParams = f.parameters().reshape(f.parameters().length());
            fullParams.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, first))
                    .addi(step.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, first)));
            fullParams.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(first + middle, frozen.numParams()))
                    .addi(step.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(first, surface.dimension())));

            assertThat(e.lossAndGradient(batch)).isCloseTo(f.lossAndGradient(batch), within(1e-12));
            double[] g = e.gradient().toDoubleVector();
            double[] h = f.gradient().reshape(f.gradient().length()).toDoubleVector();
            for (int i = 0; i < g.length; i++) {
                assertThat(g[i]).as("gradient %d", i).isCloseTo(h[i < first ? i : i + (int) middle], within(1e-12));
            }
            assertThat(e.loss(batch)).isCloseTo(f.loss(batch), within(1e-12));
        }
        assertThat(NetworkSurfaces.layerRange(frozen, "2")).containsExactly(first,
                first + frozen.getLayer(2).numParams());
        assertThat(surface.restrictTo(first - 2, first + 2).dimension()).as("a block across the gap").isEqualTo(4);
    }

    @Test
    void aGraphsFrozenVertexIsLeftOutToo() {
        ComputationGraph trained = TinyNetworks.classifierGraph(WorkspaceMode.ENABLED, 1);
        ComputationGraph frozen = new TransferLearning.GraphBuilder(trained).setFeatureExtractor("hidden").build();

        LossSurface surface = NetworkSurfaces.of(frozen, List.of(TinyNetworks.blobs(30, 2).toMultiDataSet()));

        assertThat(surface.dimension()).isEqualTo(frozen.numParams() - frozen.getLayer("hidden").numParams());
        assertThat(NetworkSurfaces.layerRange(frozen, "out")).containsExactly(0, frozen.getLayer("out").numParams());
    }

    @Test
    void theSymmetryScannerScansAFrozenLayerAsTheLayerItWraps() {
        MultiLayerNetwork trained = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        MultiLayerNetwork frozen = new TransferLearning.Builder(trained).setFeatureExtractor(0).build();
        DataSet probe = TinyNetworks.blobs(30, 2);

        SymmetrySnapshot scan = new SymmetryScanner.Builder().build().scan(frozen, probe.getFeatures(), 0);
        SymmetrySnapshot plain = new SymmetryScanner.Builder().build().scan(trained, probe.getFeatures(), 0);

        assertThat(scan.skippedLayers()).isEmpty();
        assertThat(scan.layers()).hasSameSizeAs(plain.layers());
        assertThat(scan.layers().get(0).effectiveWidth()).isEqualTo(plain.layers().get(0).effectiveWidth());
    }

    @Test
    void aListenerOnAFineTunedNetworkEstimatesTheTrainablePartAndScansEveryLayer() {
        MultiLayerNetwork fineTuned = new TransferLearning.Builder(TinyNetworks.classifier(WorkspaceMode.ENABLED, 1))
                .setFeatureExtractor(0).build();
        DataSet data = TinyNetworks.blobs(30, 2);
        SltListener listener = new SltListener.Builder(data, 30).llcSchedule(Schedule.atIterations(1))
                .symmetrySchedule(Schedule.atIterations(1)).overheadBudget(Double.POSITIVE_INFINITY)
                .llcConfig(new LlcConfig.Builder().trainingSetSize(30).chains(2).burnInSteps(20).draws(20)
                        .stepSize(1e-4).localization(100).threads(1).build())
                .layerLlc("1").build();
        fineTuned.setListeners(listener);
        INDArray frozenBefore = fineTuned.getLayer(0).params().dup();
        for (int i = 0; i < 3; i++) {
            fineTuned.fit(data);
        }
        listener.close();

        RunHistory run = listener.history();
        assertThat(run.failures()).isEmpty();
        assertThat(run.llcRecords()).singleElement().satisfies(r -> assertThat(r.estimate().dimension())
                .isEqualTo(fineTuned.numParams() - fineTuned.getLayer(0).numParams()));
        assertThat(run.layerLlcRecords(NetworkSurfaces.layerName(fineTuned, "1"))).singleElement()
                .satisfies(r -> assertThat(r.estimate().dimension()).isEqualTo(fineTuned.getLayer(1).numParams()));
        assertThat(run.symmetryRecords().get(0).snapshot().skippedLayers()).isEmpty();
        assertThat(fineTuned.getLayer(0).params()).as("training left the frozen layer alone").isEqualTo(frozenBefore);
    }

    @Test
    void batchNormalizationStatisticsAreHeldFixedAndLeftOutOfD() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(6)
                .dataType(DataType.DOUBLE).updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().nOut(6).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        DataSet data = TinyNetworks.blobs(60, 4);
        for (int i = 0; i < 30; i++) {
            net.fit(data);
        }
        INDArray before = net.params().dup();
        long statistics = 2 * 6;

        LossSurface surface = NetworkSurfaces.of(net, data);
        LlcEstimate estimate = new LlcEstimator(new LlcConfig.Builder().trainingSetSize(60).chains(4)
                .burnInSteps(300).draws(300).stepSize(1e-4).localization(100).batchSize(20).threads(1).build())
                .estimate(surface);

        assertThat(surface.dimension()).isEqualTo(net.numParams() - statistics);
        assertThat(NetworkSurfaces.layerRange(net, "1")).as("scale and shift only")
                .containsExactly(net.getLayer(0).numParams(), net.getLayer(0).numParams() + 12);
        assertThat(estimate.dimension()).isEqualTo(net.numParams() - statistics);
        assertThat(estimate.divergedChains()).isZero();
        assertThat(estimate.mean()).as("%s", estimate).isPositive()
                .isLessThanOrEqualTo(estimate.dimension() / 2.0 + 3 * estimate.standardError());
        assertThat(net.params()).as("the network is not touched").isEqualTo(before);
    }

    /** A 4-6-5-3 tanh classifier (softmax); the middle layer frozen with backprop when asked. */
    private static MultiLayerNetwork threeLayers(boolean freezeMiddle) {
        DenseLayer middle = new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE)
                .updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(freezeMiddle ? new FrozenLayerWithBackprop(middle) : middle)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        if (freezeMiddle) {
            net.setParams(Nd4j.rand(DataType.DOUBLE, 1, net.numParams()).subi(0.5));
        }
        return net;
    }
}
