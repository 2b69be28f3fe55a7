package org.slt4j.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The plain-Java fast path computes what DL4J computes: the same mean loss, per-example losses and gradient as the
 * generic path, on random networks of every supported kind, at the centre and after the parameters move; and
 * networks it does not support take the generic path.
 */
class DenseStackTest {
    private static final int EXAMPLES = 40;

    @Test
    void tanhReluSigmoidLayersWithBiasAndMseMatchDl4j() {
        assertSameAsDl4j(network(DataType.DOUBLE, 11, LossFunction.MSE, Activation.IDENTITY, true,
                Activation.TANH, Activation.RELU, Activation.SIGMOID), false, 1e-7);
    }

    @Test
    void softmaxWithMcxentAndNegativeLogLikelihoodMatchDl4j() {
        assertSameAsDl4j(network(DataType.DOUBLE, 12, LossFunction.MCXENT, Activation.SOFTMAX, true,
                Activation.TANH, Activation.TANH), true, 1e-7);
        assertSameAsDl4j(network(DataType.DOUBLE, 13, LossFunction.NEGATIVELOGLIKELIHOOD, Activation.SOFTMAX, true,
                Activation.RELU), true, 1e-7);
    }

    @Test
    void l2LossWithLeakyReluAndSigmoidOutputMatchDl4j() {
        assertSameAsDl4j(network(DataType.DOUBLE, 14, LossFunction.L2, Activation.SIGMOID, true,
                Activation.LEAKYRELU), false, 1e-7);
    }

    @Test
    void deepLinearNetworkWithoutBiasMatchesDl4j() {
        assertSameAsDl4j(network(DataType.DOUBLE, 15, LossFunction.MSE, Activation.IDENTITY, false,
                Activation.IDENTITY, Activation.IDENTITY, Activation.IDENTITY), false, 1e-7);
    }

    @Test
    void floatNetworksMatchDl4jToFloatPrecision() {
        assertSameAsDl4j(network(DataType.FLOAT, 16, LossFunction.MSE, Activation.IDENTITY, true,
                Activation.TANH, Activation.RELU), false, 1e-4);
        assertSameAsDl4j(network(DataType.FLOAT, 17, LossFunction.MCXENT, Activation.SOFTMAX, true,
                Activation.SIGMOID), true, 1e-4);
    }

    /**
     * Half-precision parameters go through ND4J's conversion on their way to and from the evaluator's double arrays
     * (float and double ones through bulk copies): the fast path stays DL4J's result to half precision.
     */
    @Test
    void halfPrecisionNetworksMatchDl4jToHalfPrecision() {
        assertSameAsDl4j(network(DataType.HALF, 18, LossFunction.MSE, Activation.IDENTITY, true,
                Activation.TANH), false, 2e-2);
    }

    /**
     * Stacks above {@link DenseStack#MAX_WORK} weights run their products on BLAS in the network's precision. In
     * double both paths agree to 1e-7 of the largest gradient component, as the plain-Java path does: DL4J's own
     * elementwise kernels differ from Java's {@code Math} in the last digits of double precision.
     */
    @Test
    void wideDoubleStacksOnBlasMatchDl4j() {
        int[] widths = {60, 90, 70, 50, 4};
        assertSameAsDl4j(network(DataType.DOUBLE, 31, LossFunction.MCXENT, Activation.SOFTMAX, true, widths,
                Activation.RELU, Activation.TANH, Activation.LEAKYRELU), true, 1e-7, true);
        assertSameAsDl4j(network(DataType.DOUBLE, 32, LossFunction.MSE, Activation.IDENTITY, true, widths,
                Activation.SIGMOID, Activation.RELU), false, 1e-7, true);
        assertSameAsDl4j(network(DataType.DOUBLE, 33, LossFunction.L2, Activation.TANH, false, widths,
                Activation.IDENTITY, Activation.TANH, Activation.RELU), false, 1e-7, true);
    }

    /**
     * In float, DL4J's generic path and the BLAS path each round every product and activation to float (unit
     * roundoff 6e-8) in different orders, over sums of up to 90 terms: they agree to 1e-5 of the largest
     * gradient component, and both within that of the exact (double) gradient, which the double test above shows
     * they compute alike.
     */
    @Test
    void wideFloatStacksOnBlasMatchDl4jToFloatPrecision() {
        int[] widths = {60, 90, 70, 50, 4};
        assertSameAsDl4j(network(DataType.FLOAT, 34, LossFunction.MCXENT, Activation.SOFTMAX, true, widths,
                Activation.RELU, Activation.RELU), true, 1e-5, true);
        assertSameAsDl4j(network(DataType.FLOAT, 35, LossFunction.MSE, Activation.SIGMOID, true, widths,
                Activation.TANH, Activation.LEAKYRELU, Activation.SIGMOID), false, 1e-5, true);
    }

    @Test
    void unsupportedNetworksAndDataTakeTheGenericPath() {
        MultiLayerNetwork supported = network(DataType.DOUBLE, 18, LossFunction.MSE, Activation.IDENTITY, true,
                Activation.TANH);
        DataSet data = data(supported, 18, false);
        assertThat(DenseStack.of(stripped(supported), exampleData(data))).isPresent();

        DataSet masked = data.copy();
        masked.setLabelsMaskArray(Nd4j.ones(DataType.DOUBLE, EXAMPLES, 1));
        assertThat(DenseStack.of(stripped(supported), exampleData(masked))).as("masks").isEmpty();

        MultiLayerNetwork softmaxWithMse = network(DataType.DOUBLE, 19, LossFunction.MSE, Activation.SOFTMAX, true,
                Activation.TANH);
        assertThat(DenseStack.of(stripped(softmaxWithMse), exampleData(data(softmaxWithMse, 19, true))))
                .as("softmax with MSE").isEmpty();

        MultiLayerNetwork wide = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(200).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(200).nOut(200).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(200).nOut(2).activation(Activation.IDENTITY)
                        .build()).build());
        wide.init();
        assertThat(DenseStack.of(stripped(wide), exampleData(data(wide, 20, false))).orElseThrow().usesBlas())
                .as("above %s multiply-adds per example: BLAS products", DenseStack.MAX_WORK).isTrue();
        assertThat(DenseStack.of(stripped(supported), exampleData(data)).orElseThrow().usesBlas())
                .as("small stacks: plain Java").isFalse();

        MultiLayerNetwork conv = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(2).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutionalFlat(3, 3, 1)).build());
        conv.init();
        assertThat(DenseStack.of(stripped(conv), exampleData(new DataSet(Nd4j.rand(DataType.DOUBLE, 5, 9),
                Nd4j.rand(DataType.DOUBLE, 5, 2))))).as("convolution").isEmpty();
    }

    /** Loss and gradient of both paths on the same batches, at the centre and at a moved point. */
    private static void assertSameAsDl4j(MultiLayerNetwork net, boolean oneHot, double tolerance) {
        assertSameAsDl4j(net, oneHot, tolerance, false);
    }

    private static void assertSameAsDl4j(MultiLayerNetwork net, boolean oneHot, double tolerance, boolean blas) {
        DataSet data = data(net, 21, oneHot);
        DenseStack stack = DenseStack.of(stripped(net), exampleData(data)).orElseThrow();
        assertThat(stack.usesBlas()).as("BLAS products").isEqualTo(blas);
        LossSurface.Evaluator fast = stack.newEvaluator(net.params().reshape(1, net.numParams()));
        LossSurface generic = withoutFastPath(() -> NetworkSurfaces.of(net, data));
        try (fast; LossSurface.Evaluator slow = generic.newEvaluator()) {
            int[][] batches = {{0, 1, 2, 3, 4, 5, 6, 7}, {39, 3, 17, 17, 22}, range(EXAMPLES)};
            for (int move = 0; move < 2; move++) {
                for (int[] batch : batches) {
                    double expected = slow.lossAndGradient(batch);
                    double actual = fast.lossAndGradient(batch);
                    assertThat(actual).as("loss").isCloseTo(expected,
                            offset(tolerance * Math.max(1, Math.abs(expected))));
                    assertThat(fast.loss(batch)).as("forward-only loss").isEqualTo(actual);
                    assertClose(fast.gradient(), slow.gradient(), tolerance);
                    assertExampleLosses(fast, slow, batch, actual, tolerance);
                }
                INDArray step = Nd4j.rand(slow.parameters().dataType(), slow.parameters().shape()).subi(0.5).muli(0.3);
                slow.parameters().addi(step);
                fast.parameters().addi(step.reshape(fast.parameters().shape()));
            }
        }
    }

    /**
     * The fast path's per-example losses are each example's loss, and their mean in the batch's order is the batch's
     * loss to the bit (the PAIRED baseline caches them); DL4J's generic path gives none.
     */
    private static void assertExampleLosses(LossSurface.Evaluator fast, LossSurface.Evaluator slow, int[] batch,
            double batchLoss, double tolerance) {
        assertThat(slow.exampleLosses(batch)).as("the generic path's per-example losses").isEmpty();
        double[] losses = fast.exampleLosses(batch).orElseThrow();
        assertThat(losses).hasSize(batch.length);
        double sum = 0;
        for (double loss : losses) {
            sum += loss;
        }
        assertThat(sum / batch.length).as("mean of the per-example losses").isEqualTo(batchLoss);
        for (int r = 0; r < batch.length; r++) {
            double alone = slow.loss(new int[] {batch[r]});
            assertThat(losses[r]).as("example %d's loss", batch[r])
                    .isCloseTo(alone, offset(tolerance * Math.max(1, Math.abs(alone))));
        }
    }

    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        double[] a = actual.castTo(DataType.DOUBLE).data().asDouble();
        double[] e = expected.castTo(DataType.DOUBLE).data().asDouble();
        assertThat(a).hasSameSizeAs(e);
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
            assertThat(Math.abs(a[i] - e[i])).as("gradient component %d: %s vs DL4J's %s", i, a[i], e[i])
                    .isLessThanOrEqualTo(tolerance * Math.max(scale, 1e-12));
        }
    }

    /** The surface made with the fast path switched off (DL4J's generic path). */
    static LossSurface withoutFastPath(Supplier<LossSurface> surface) {
        String old = System.getProperty(NetworkSurfaces.FAST_PATH_PROPERTY);
        System.setProperty(NetworkSurfaces.FAST_PATH_PROPERTY, "false");
        try {
            return surface.get();
        } finally {
            if (old == null) {
                System.clearProperty(NetworkSurfaces.FAST_PATH_PROPERTY);
            } else {
                System.setProperty(NetworkSurfaces.FAST_PATH_PROPERTY, old);
            }
        }
    }

    private static MultiLayerNetwork network(DataType type, long seed, LossFunction loss, Activation output,
            boolean bias, Activation... hidden) {
        return network(type, seed, loss, output, bias, new int[] {5, 7, 6, 4, 3}, hidden);
    }

    /** A network of the given widths (input first; the output has 3 units), one hidden layer per activation. */
    private static MultiLayerNetwork network(DataType type, long seed, LossFunction loss, Activation output,
            boolean bias, int[] widths, Activation... hidden) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed).dataType(type)
                .weightInit(WeightInit.XAVIER).l2(0.1).list();
        for (int l = 0; l < hidden.length; l++) {
            DenseLayer.Builder layer = new DenseLayer.Builder().nIn(widths[l]).nOut(widths[l + 1]).hasBias(bias);
            if (hidden[l] == Activation.LEAKYRELU) {
                layer.activation(new ActivationLReLU(0.2));
            } else {
                layer.activation(hidden[l]);
            }
            list.layer(layer.dropOut(0.5).build());
        }
        list.layer(new OutputLayer.Builder(loss).nIn(widths[hidden.length]).nOut(3).hasBias(bias)
                .activation(output).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        if (bias) {
            // Non-zero biases, so that a wrong bias layout cannot pass.
            net.params().addi(Nd4j.rand(type, net.params().shape()).subi(0.5).muli(0.2));
        }
        return net;
    }

    private static DataSet data(MultiLayerNetwork net, long seed, boolean oneHot) {
        int inputs = (int) net.getLayer(0).getParam("W").size(0);
        int outputs = (int) net.getOutputLayer().getParam("W").size(1);
        Nd4j.getRandom().setSeed(seed);
        DataType type = net.getLayerWiseConfigurations().getDataType();
        INDArray x = Nd4j.randn(type, EXAMPLES, inputs);
        INDArray y = Nd4j.rand(type, EXAMPLES, outputs);
        if (oneHot) {
            y = Nd4j.zeros(type, EXAMPLES, outputs);
            for (int i = 0; i < EXAMPLES; i++) {
                y.putScalar(i, (i * 7 + 3) % outputs, 1);
            }
        }
        return new DataSet(x, y);
    }

    private static MultiLayerConfiguration stripped(MultiLayerNetwork net) {
        return NetworkSurfaces.samplingConfiguration(net);
    }

    private static ExampleData exampleData(DataSet data) {
        return ExampleData.of(List.of(ExampleData.toMulti(data)), data.getFeatures().dataType());
    }

    private static int[] range(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }
}
