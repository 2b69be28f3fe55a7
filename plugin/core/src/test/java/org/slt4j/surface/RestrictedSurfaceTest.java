package org.slt4j.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.symmetry.LayerSymmetry;
import org.slt4j.symmetry.SymmetryScanner;
import org.slt4j.testing.TinyNetworks;

class RestrictedSurfaceTest {

    @Test
    void layerRangesTileTheParameterVectorInLayerOrder() {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        assertThat(NetworkSurfaces.layerRange(net, "0")).containsExactly(0, 4 * 8 + 8);
        assertThat(NetworkSurfaces.layerRange(net, "1")).containsExactly(40, 40 + 8 * 3 + 3);
        ComputationGraph graph = TinyNetworks.classifierGraph(WorkspaceMode.ENABLED, 1);
        assertThat(NetworkSurfaces.layerRange(graph, "hidden")).containsExactly(0, 40);
        assertThat(NetworkSurfaces.layerRange(graph, "out")).containsExactly(40, 67);
    }

    @Test
    void aLayerIsNamedAsTheScansNameItWhetherGivenByIndexOrName() {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        assertThat(NetworkSurfaces.layerName(net, "0")).isEqualTo("layer0");
        assertThat(NetworkSurfaces.layerName(net, "layer1")).isEqualTo("layer1");
        assertThat(NetworkSurfaces.layerRange(net, "layer1")).containsExactly(NetworkSurfaces.layerRange(net, "1"));
        assertThat(new SymmetryScanner.Builder().build().scan(net, TinyNetworks.blobs(16, 2).getFeatures(), 0)
                .layers())
                .extracting(LayerSymmetry::layerName).containsExactly("layer0", "layer1");
    }

    @Test
    void anUnknownLayerIsRejected() {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        assertThatThrownBy(() -> NetworkSurfaces.layerRange(net, "nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer nope must exist");
    }

    @Test
    void anInvalidRangeIsRejected() {
        LossSurface surface = AnalyticSurfaces.quadratic(1, 1, 1);
        assertThatThrownBy(() -> surface.restrictTo(2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter range must satisfy 0 <= from < to <= 3 (got: [2, 2))");
    }

    @Test
    void samplingABlockMovesOnlyThatBlock() {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        LossSurface full = NetworkSurfaces.of(net, TinyNetworks.blobs(30, 1));
        LossSurface block = full.restrictTo(40, 67);
        try (LossSurface.Evaluator evaluator = block.newEvaluator()) {
            evaluator.lossAndGradient(new int[] {0, 1, 2});
            assertThat(evaluator.gradient().length()).isEqualTo(27);
            evaluator.parameters().addi(1.0);
            // The first layer's parameters stay at the centre: the loss equals the full surface's at the same point.
            INDArray moved = full.initialParameters();
            moved.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(40, 67)).addi(1.0);
            try (LossSurface.Evaluator reference = full.newEvaluator()) {
                reference.parameters().assign(moved);
                assertThat(evaluator.loss(new int[] {3, 4})).isEqualTo(reference.loss(new int[] {3, 4}));
            }
        }
    }

    @Test
    void restrictedLlcOfAQuadraticIsTheExactValueOfItsBlock() {
        double[] h = {0.5, 1, 1.5, 2, 0, 0, 1, 1};
        LlcConfig config = new LlcConfig.Builder().nBeta(100).localization(1).stepSize(1e-3).chains(8)
                .burnInSteps(500).draws(4000).seed(3).build();

        LlcEstimate block = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(h).restrictTo(2, 6));

        double exact = org.slt4j.testkit.ExactValues.quadratic(new double[] {1.5, 2, 0, 0}, 100, 1, 1e-3,
                config.sampler());
        assertThat(block.dimension()).isEqualTo(4);
        assertThat(Math.abs(block.mean() - exact)).as("%s vs exact %s", block, exact)
                .isLessThan(4 * block.standardError());
        assertThat(block.standardError()).isLessThan(0.03 * exact);
    }
}
