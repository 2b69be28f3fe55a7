package org.slt4j.samples;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.symmetry.SymmetryScanner;
import org.slt4j.symmetry.SymmetrySnapshot;

/**
 * Trains a small MLP on generated data and reports, at a few points during training, the local learning
 * coefficient (with its standard error) and the symmetry scan of the weights.
 */
public final class QuickstartSample {

    private QuickstartSample() {
    }

    public static void main(String[] args) {
        int examples = 2_000;
        DataSet data = spirals(examples, 7);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(5e-3)).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(32).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(32).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();

        // [quickstart]
        LlcEstimator estimator = new LlcEstimator(LlcConfig.builder()
                .trainingSetSize(examples) // n: nBeta = n / ln n
                .stepSize(1e-4).localization(100).chains(4).draws(200).batchSize(256).seed(42)
                .build());
        SymmetryScanner scanner = SymmetryScanner.withDefaults();
        // [/quickstart]

        DataSet estimationData = data.sample(500, new org.nd4j.linalg.api.rng.DefaultRandom(3));
        int epochs = 400;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            net.fit(data);
            if (epoch == 1 || epoch % 100 == 0) {
                LlcEstimate llc = estimator.estimate(NetworkSurfaces.of(net, estimationData));
                SymmetrySnapshot symmetry = scanner.scan(net, estimationData.getFeatures(), epoch);
                System.out.printf("epoch %3d  loss %.4f  LLC %.2f +- %.2f (d/2 = %d, bound (d-k)/2 = %.1f)  "
                        + "dead units %s  effective width %d%n", epoch, net.score(), llc.mean(),
                        llc.standardError(), net.numParams() / 2, symmetry.llcUpperBound(),
                        symmetry.layers().stream().mapToInt(l -> l.deadUnits().length).sum(),
                        symmetry.totalEffectiveWidth());
            }
        }
    }

    /** Three interleaved spirals in the plane: a small problem an MLP needs a few hundred epochs for. */
    static DataSet spirals(int examples, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, examples, 2);
        INDArray y = Nd4j.zeros(DataType.FLOAT, examples, 3);
        for (int i = 0; i < examples; i++) {
            int label = i % 3;
            double r = random.nextDouble();
            double angle = 2 * Math.PI * label / 3 + 4 * r + random.nextGaussian() * 0.2;
            x.putScalar(i, 0, r * Math.cos(angle));
            x.putScalar(i, 1, r * Math.sin(angle));
            y.putScalar(i, label, 1);
        }
        return new DataSet(x, y);
    }
}
