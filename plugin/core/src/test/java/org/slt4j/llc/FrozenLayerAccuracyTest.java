package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testkit.DeepLinearNetworks;
import org.slt4j.testkit.ExactValues;

/**
 * A frozen first layer against an exact value: y = B A F x with F a frozen, invertible, square linear layer and
 * (A, B) a reduced rank regression (M, H, N, r) = (5, 4, 3, 2) at a deepest-stratum point. The frozen layer only
 * changes the inputs' covariance (F F^T, positive definite), which leaves the learning coefficient of the trainable
 * part the RRR's: lambda = 7 (Aoyagi and Watanabe 2005). Sampling F too, as slt4j did before frozen layers were held
 * fixed, would add its 25 parameters. The estimate takes the default path, as DefaultPathAccuracyTest does.
 */
class FrozenLayerAccuracyTest {
    private static final int M = 5;
    private static final int H = 4;
    private static final int N = 3;
    private static final int RANK = 2;
    private static final int EXAMPLES = 10_000;

    @Test
    void theLlcOfTheTrainablePartIsTheReducedRankRegressions() {
        MultiLayerNetwork fineTuned = new TransferLearning.Builder(network()).setFeatureExtractor(0).build();
        DataSet data = DeepLinearNetworks.teacherData(fineTuned, EXAMPLES, 2);
        INDArray before = fineTuned.params().dup();
        double lambda = ExactValues.deepLinearNetwork(new int[] {M, H, N}, RANK);
        LossSurface surface = NetworkSurfaces.of(fineTuned, data);

        LlcEstimate estimate = new LlcEstimator(new LlcConfig.Builder().trainingSetSize(EXAMPLES).build())
                .estimate(surface);

        assertThat(lambda).isEqualTo(7);
        assertThat(surface.dimension()).isEqualTo(H * (M + N));
        assertThat(estimate.dimension()).isEqualTo(H * (M + N));
        assertThat(estimate.standardError()).as("standard error of %s", estimate).isLessThanOrEqualTo(0.02 * lambda);
        assertThat(estimate.mean()).as("estimate %s of exact %s (%s)", estimate, lambda, estimate.tuning())
                .isBetween(0.95 * lambda, 1.05 * lambda);
        assertThat(estimate.isReliable()).as("warnings %s", estimate.warnings()).isTrue();
        assertThat(fineTuned.params()).as("the network is not touched").isEqualTo(before);
    }

    /** F (orthogonal times a diagonal of 1 to 2) then the deepest-stratum RRR, all linear without bias. */
    private static MultiLayerNetwork network() {
        MultiLayerNetwork rrr = DeepLinearNetworks.atRank(new int[] {M, H, N}, RANK, 11);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(M).nOut(M).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nIn(M).nOut(H).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(H).nOut(N).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        net.setParam("0_W", invertible(new Random(5)));
        net.setParam("1_W", rrr.getParam("0_W"));
        net.setParam("2_W", rrr.getParam("1_W"));
        return net;
    }

    /** Q D with Q orthogonal and D = diag(1 ... 2): invertible and well conditioned. */
    private static INDArray invertible(Random random) {
        INDArray q = DeepLinearNetworks.orthonormalColumns(M, M, random);
        INDArray d = Nd4j.create(DataType.DOUBLE, 1, M);
        for (int c = 0; c < M; c++) {
            d.putScalar(0, c, 1 + c / (M - 1.0));
        }
        return q.mulRowVector(d);
    }
}
