package org.slt4j.symmetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;
import static org.slt4j.symmetry.TestNets.gaussian;

import java.util.List;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class GraphAndConvolutionScanTest {

    private final SymmetryScanner scanner = SymmetryScanner.defaults();

    /** in -> a (relu, 4) and b (relu, 3) -> merge -> out; a also feeds aux, so it has two consumers. */
    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .updater(new Adam(0.01)).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(3).nOut(3).activation(Activation.RELU).build(), "in")
                .addVertex("m", new MergeVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(7).nOut(2)
                        .activation(Activation.IDENTITY).build(), "m")
                .addLayer("aux", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
                        .activation(Activation.IDENTITY).build(), "a")
                .setOutputs("out", "aux")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        g.getLayer("a").getParam("b").assign(0.1);
        return g;
    }

    @Test
    void graphLayerVerticesAreScannedAndAmbiguousConsumersAreExplained() {
        ComputationGraph g = graph();
        g.getLayer("a").getParam("W").getColumn(1).assign(0.0);
        g.getLayer("a").getParam("b").putScalar(1, -1.0);

        SymmetrySnapshot s = scanner.scan(g, new INDArray[] {gaussian(1, 32, 3)}, 12);

        LayerSymmetry a = s.layer("a").orElseThrow();
        assertThat(a.deadUnits()).containsExactly(1);
        assertThat(a.zeroIncomingUnits()).containsExactly(1);
        assertThat(a.outgoingUnavailableReason()).hasValueSatisfying(r -> assertThat(r).contains("2 vertices"));
        assertThat(a.zeroOutgoingUnits()).isEmpty();
        assertThat(a.rescalingBalance()).isEmpty();
        // only the dead unit's own 3 weights + bias: nothing that needs the outgoing weights
        assertThat(a.removableDirections()).isEqualTo(4);
        assertThat(s.layer("b").orElseThrow().outgoingUnavailableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("MergeVertex"));
        assertThat(s.layers()).extracting(LayerSymmetry::layerName).containsExactlyInAnyOrder("a", "b", "out", "aux");
        assertThat(s.totalParameters()).isEqualTo(g.numParams());
    }

    @Test
    void scanningAGraphLeavesItBitForBitUnchanged() {
        ComputationGraph g = graph();
        INDArray x = gaussian(1, 32, 3);
        g.fit(new MultiDataSet(new INDArray[] {x}, new INDArray[] {gaussian(2, 32, 2), gaussian(3, 32, 1)}));
        INDArray params = g.params().dup();
        INDArray updater = g.getUpdater().getStateViewArray().dup();

        scanner.scan(g, new INDArray[] {x}, 1);

        assertThat(g.params()).isEqualTo(params);
        assertThat(g.getUpdater().getStateViewArray()).isEqualTo(updater);
    }

    /** 1x6x6 input, conv 3x3 (4 channels, relu) -> [pool] -> dense 5 -> output 2. */
    private static MultiLayerNetwork conv(boolean pool) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(9).dataType(DataType.DOUBLE)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build());
        if (pool) {
            b.layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build());
        }
        b.layer(new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(6, 6, 1));
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        net.getLayer(0).getParam("b").assign(0.1);
        return net;
    }

    @Test
    void convolutionChannelsAreUnitsAndTheirFlattenedOutgoingWeightsAreFound() {
        MultiLayerNetwork net = conv(false);
        net.getLayer(0).getParam("W").get(org.nd4j.linalg.indexing.NDArrayIndex.point(3)).assign(0.0);
        net.getLayer(0).getParam("b").putScalar(3, -1.0);
        // channel 2 occupies rows 2*16 .. 3*16-1 of the dense weights (NCHW flattening, 4x4 positions)
        net.getLayer(1).getParam("W").get(org.nd4j.linalg.indexing.NDArrayIndex.interval(32, 48),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(0.0);

        LayerSymmetry c = scanner.scan(net, gaussian(4, 8, 1, 6, 6), 0).layer("layer0").orElseThrow();

        assertThat(c.units()).isEqualTo(4);
        assertThat(c.fanIn()).isEqualTo(9);
        assertThat(c.deadUnits()).containsExactly(3);
        assertThat(c.zeroOutgoingUnits()).containsExactly(2);
        assertThat(c.effectiveWidth()).isEqualTo(2);
        assertThat(c.numericalRank()).isEqualTo(3);
        // dead: 9 + 1 + 16*5 outgoing; zero-out: 9 + 1; two live channels: one rescaling each
        assertThat(c.removableDirections()).isEqualTo(90 + 10 + 2);
    }

    @Test
    void activeFractionsAreTheShareOfProbePositionsWherePerUnitOutputIsPositive() {
        for (CNN2DFormat format : CNN2DFormat.values()) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                    .dataType(DataType.DOUBLE).list()
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU)
                            .dataFormat(format).build())
                    .layer(new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                            .activation(Activation.IDENTITY).build())
                    .setInputType(InputType.convolutional(6, 6, 1, format)).build());
            net.init();
            INDArray probe = format == CNN2DFormat.NCHW ? gaussian(4, 8, 1, 6, 6) : gaussian(4, 8, 6, 6, 1);
            List<INDArray> activations = net.feedForward(probe, false);
            INDArray conv = activations.get(1);
            double[] expectedConv = new double[4];
            for (int c = 0; c < 4; c++) {
                INDArray channel = conv.get(format == CNN2DFormat.NCHW
                        ? new INDArrayIndex[] {all(), point(c), all(), all()}
                        : new INDArrayIndex[] {all(), all(), all(), point(c)});
                expectedConv[c] = channel.gt(0.0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
            }
            double[] expectedDense = activations.get(2).gt(0.0).castTo(DataType.DOUBLE).mean(0).toDoubleVector();

            SymmetrySnapshot s = scanner.scan(net, probe, 0);

            assertThat(s.layer("layer0").orElseThrow().activeFractions()).as(format.toString())
                    .containsExactly(expectedConv, within(1e-12));
            assertThat(s.layer("layer1").orElseThrow().activeFractions()).as(format.toString())
                    .containsExactly(expectedDense, within(1e-12));
            assertThat(java.util.Arrays.stream(expectedConv).filter(f -> f > 0 && f < 1))
                    .as("a mix of active and inactive positions").isNotEmpty();
        }
    }

    @Test
    void weightlessLayersAreSkippedWithAReason() {
        SymmetrySnapshot s = scanner.scan(conv(true), gaussian(4, 8, 1, 6, 6), 0);

        assertThat(s.skippedLayers()).containsExactly(
                new SymmetrySnapshot.SkippedLayer("layer1", "SubsamplingLayer has no weights"));
        assertThat(s.layer("layer0").orElseThrow().outgoingUnavailableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("SubsamplingLayer has no weights"));
    }
}
