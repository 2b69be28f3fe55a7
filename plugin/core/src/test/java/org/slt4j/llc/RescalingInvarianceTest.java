package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testkit.DeepLinearNetworks;

/**
 * A generic symmetry (docs/user-guide.md, "Parameters are not all equally real"): rescaling a ReLU layer's incoming
 * weights by c and its outgoing weights by 1/c leaves the function, hence the loss landscape up to a change of
 * coordinates, and the LLC unchanged.
 */
class RescalingInvarianceTest {

    @Test
    void rescalingAReluLayerAlongItsSymmetryKeepsTheEstimateWithinItsErrors() {
        MultiLayerNetwork net = reluTeacher(3);
        DataSet data = DeepLinearNetworks.teacherData(net, 1_000, 4);
        MultiLayerNetwork rescaled = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        rescaled.init(net.params().dup(), false);
        double c = 2;
        rescaled.setParam("0_W", net.getParam("0_W").mul(c));
        rescaled.setParam("0_b", net.getParam("0_b").mul(c));
        rescaled.setParam("1_W", net.getParam("1_W").div(c));
        assertThat(rescaled.output(data.getFeatures())).isEqualTo(data.getLabels());

        LlcConfig config = new LlcConfig.Builder().trainingSetSize(10_000).stepSize(5e-5).localization(1).chains(6)
                .burnInSteps(500).draws(3000).batchSize(1_000).seed(21).build();
        LlcEstimator estimator = new LlcEstimator(config);
        LlcEstimate original = estimator.estimate(NetworkSurfaces.of(net, data));
        LlcEstimate afterRescaling = estimator.estimate(NetworkSurfaces.of(rescaled, data));

        double combinedError = Math.hypot(original.standardError(), afterRescaling.standardError());
        assertThat(combinedError).as("combined standard error").isLessThan(0.05 * original.mean());
        assertThat(Math.abs(original.mean() - afterRescaling.mean()))
                .as("original %s vs rescaled %s", original, afterRescaling)
                .isLessThan(3 * combinedError);
        // The check has power: a quarter of the regular value d/2 would be far outside the tolerance.
        assertThat(original.mean()).isGreaterThan(0.2 * original.dimension() / 2.0);
    }

    /** A 3-5-2 ReLU network with random weights and biases: noiseless data from it makes it an exact minimum. */
    private static MultiLayerNetwork reluTeacher(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        Random random = new Random(seed);
        INDArray params = net.params();
        for (int i = 0; i < params.length(); i++) {
            params.putScalar(i, random.nextGaussian());
        }
        // Positive biases keep every hidden unit active on part of the data (no dead units).
        net.setParam("0_b", Nd4j.ones(DataType.DOUBLE, 1, 5).muli(0.5));
        return net;
    }
}
