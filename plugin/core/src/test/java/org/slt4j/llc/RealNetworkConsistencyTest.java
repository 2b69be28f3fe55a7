package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;

/**
 * A trained MLP has no exact learning coefficient, so the default estimate is checked for consistency instead, the
 * way docs/trusting-the-llc.md tells users to check their own: it must agree within 3 combined standard errors
 * with an estimate at half its step size (its neighbour on the calibration plateau) and with a run of twice the
 * draws on other seeds. The network is a 3-5-1 tanh regression trained to its minimum on noisy data from a teacher
 * network of the same shape.
 */
class RealNetworkConsistencyTest {
    private static final int EXAMPLES = 500;
    private static LossSurface surface;
    private static Calibration calibration;
    private static LlcEstimate estimate;

    @BeforeAll
    static void trainAndEstimate() {
        MultiLayerNetwork teacher = regression(1);
        Random random = new Random(2);
        INDArray x = Nd4j.create(DataType.DOUBLE, EXAMPLES, 3);
        INDArray noise = Nd4j.create(DataType.DOUBLE, EXAMPLES, 1);
        for (int i = 0; i < EXAMPLES; i++) {
            for (int j = 0; j < 3; j++) {
                x.putScalar(i, j, random.nextGaussian());
            }
            noise.putScalar(i, 0, 0.1 * random.nextGaussian());
        }
        DataSet data = new DataSet(x, teacher.output(x, false).add(noise));
        MultiLayerNetwork net = regression(3);
        for (int i = 0; i < 3_000; i++) {
            net.fit(data);
        }
        surface = NetworkSurfaces.of(net, data);
        LlcEstimator estimator = new LlcEstimator(new LlcConfig.Builder().trainingSetSize(EXAMPLES).build());
        calibration = estimator.calibrate(surface);
        estimate = estimator.estimate(surface, calibration);
    }

    private static MultiLayerNetwork regression(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
                .updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void theDefaultEstimateIsReliableWithATwoPercentStandardError() {
        assertThat(estimate.isReliable()).as("warnings %s after%n%s", estimate.warnings(), calibration.table())
                .isTrue();
        assertThat(estimate.relativeStandardError()).isLessThanOrEqualTo(0.02);
        assertThat(estimate.mean()).isPositive().isLessThan(estimate.dimension() / 2.0);
    }

    @Test
    void halfTheStepSizeAgreesWithinThreeCombinedStandardErrors() {
        LlcConfig chosen = estimate.config();
        LlcEstimate half = new LlcEstimator(chosen.toBuilder().stepSize(chosen.stepSize().getAsDouble() / 2)
                .seed(chosen.seed() + 1).automatic(LlcConfig.Setting.BURN_IN_STEPS, LlcConfig.Setting.DRAWS)
                .maxStepsPerChain(2 * chosen.maxStepsPerChain()).build()).estimate(surface);

        assertAgree(estimate, half);
    }

    @Test
    void twiceTheDrawsAgreeWithinThreeCombinedStandardErrors() {
        LlcConfig chosen = estimate.config();
        LlcEstimate longer = new LlcEstimator(chosen.toBuilder().draws(2 * chosen.draws().getAsInt())
                .seed(chosen.seed() + 2).build()).estimate(surface);

        assertAgree(estimate, longer);
    }

    private static void assertAgree(LlcEstimate a, LlcEstimate b) {
        double combined = Math.hypot(a.standardError(), b.standardError());
        assertThat(combined).as("combined standard error, small enough to give the comparison power")
                .isLessThanOrEqualTo(0.04 * a.mean());
        assertThat(Math.abs(a.mean() - b.mean())).as("%s against %s", a, b).isLessThanOrEqualTo(3 * combined);
    }
}
