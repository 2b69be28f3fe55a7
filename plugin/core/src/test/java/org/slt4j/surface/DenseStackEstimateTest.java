package org.slt4j.surface;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.llc.Sampler;

/**
 * LLC estimates on the fast path agree with estimates on DL4J's generic path within 3 combined standard errors: a
 * ReLU classifier trained for a few epochs on random data, small (plain-Java path, 1,630 weights) and wide (BLAS
 * path, 13,400 weights, float). Each path runs with its own seed, so the two estimates are independent and the
 * comparison is the statistical one; each must be precise enough (relative SE at most 5%) for it to have power.
 * And on the BLAS path, what the estimator promises on any surface: results independent of the thread count (plain
 * and RMSProp SGLD, whole network and one layer), diverging chains stopped and reported, the network untouched.
 */
class DenseStackEstimateTest {
    private static final int EXAMPLES = 512;

    @ParameterizedTest(name = "hidden width {0} (BLAS path: {1})")
    @CsvSource({"30, false", "100, true"})
    void fastPathEstimatesAgreeWithTheGenericPath(int width, boolean blas) {
        MultiLayerNetwork net = trainedClassifier(width);
        DataSet data = data();
        assertThat(DenseStack.of(NetworkSurfaces.samplingConfiguration(net),
                ExampleData.of(List.of(ExampleData.toMulti(data)), DataType.FLOAT)).orElseThrow().usesBlas())
                .isEqualTo(blas);
        // With 400 draws the four chains' means spread 10-14% of the estimate, so its standard error was 5-7%.
        LlcConfig.Builder config = new LlcConfig.Builder().trainingSetSize(EXAMPLES).stepSize(1e-4)
                .localization(100).chains(4).burnInSteps(200).draws(1_600).batchSize(64);
        LlcEstimate fast = new LlcEstimator(config.seed(1).build()).estimate(NetworkSurfaces.of(net, data));
        LlcEstimate generic = new LlcEstimator(config.seed(2).build())
                .estimate(DenseStackTest.withoutFastPath(() -> NetworkSurfaces.of(net, data)));

        for (LlcEstimate e : List.of(fast, generic)) {
            assertThat(e.relativeStandardError()).as(e.toString()).isLessThanOrEqualTo(0.05);
        }
        double combined = Math.hypot(fast.standardError(), generic.standardError());
        assertThat(Math.abs(fast.mean() - generic.mean())).as("fast %s vs generic %s", fast, generic)
                .isLessThanOrEqualTo(3 * combined);
    }

    @Test
    void onTheBlasPathEstimatesKeepTheEstimatorsPromises() {
        MultiLayerNetwork net = trainedClassifier(100);
        INDArray before = net.params().dup();
        DataSet data = data();
        LossSurface surface = NetworkSurfaces.of(net, data);
        long[] layer = NetworkSurfaces.layerRange(net, "1");
        LlcConfig.Builder config = new LlcConfig.Builder().trainingSetSize(EXAMPLES).stepSize(1e-4)
                .localization(100).chains(2).burnInSteps(20).draws(30).batchSize(64).seed(3).keepTraces(true);
        for (Sampler sampler : Sampler.values()) {
            for (LossSurface s : List.of(surface, surface.restrictTo(layer[0], layer[1]))) {
                LlcEstimate one = new LlcEstimator(config.sampler(sampler).threads(1).build()).estimate(s);
                LlcEstimate two = new LlcEstimator(config.sampler(sampler).threads(2).build()).estimate(s);
                for (int c = 0; c < 2; c++) {
                    assertThat(two.chains().get(c).lossTrace()).as("%s, chain %s", sampler, c)
                            .isEqualTo(one.chains().get(c).lossTrace());
                }
                assertThat(one.mean()).as(sampler.toString()).isFinite();
            }
        }

        LlcEstimate exploding = new LlcEstimator(config.stepSize(1).localization(0).sampler(Sampler.SGLD).build())
                .estimate(surface);
        assertThat(exploding.divergedChains()).isEqualTo(2);
        assertThat(exploding.chains().get(0).divergence()).isPresent();
        assertThat(net.params()).isEqualTo(before);
    }

    private static MultiLayerNetwork trainedClassifier(int width) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7)
                .dataType(DataType.FLOAT).updater(new Adam(3e-3)).list()
                .layer(new DenseLayer.Builder().nIn(30).nOut(width).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(width).nOut(width).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(width).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        DataSet data = data();
        for (int i = 0; i < 200; i++) {
            net.fit(data);
        }
        return net;
    }

    /** 512 examples of 30 Gaussian features; the label is the quadrant of the first two features' sum pattern. */
    private static DataSet data() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, EXAMPLES, 30);
        INDArray y = Nd4j.zeros(DataType.FLOAT, EXAMPLES, 4);
        for (int i = 0; i < EXAMPLES; i++) {
            int label = (x.getDouble(i, 0) > 0 ? 1 : 0) + (x.getDouble(i, 1) > 0 ? 2 : 0);
            y.putScalar(i, label, 1);
        }
        return new DataSet(x, y);
    }
}
