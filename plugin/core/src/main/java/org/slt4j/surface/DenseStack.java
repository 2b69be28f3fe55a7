package org.slt4j.surface;

import com.google.common.base.Preconditions;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;
import org.slt4j.platform.DirectBlas;

/**
 * The fast path for the networks most estimates run on: a MultiLayerNetwork of dense layers and one output layer
 * with standard activations and losses, on unmasked 2-d data. Its evaluators compute the loss and gradient on
 * buffers allocated once, instead of DL4J's generic layer machinery, in one of two ways:
 * <ul>
 *   <li><b>Small stacks</b> (at most {@link #MAX_WORK} weights): in plain Java, in double precision. DL4J's fixed
 *       cost per layer and call dominates an SGLD step on such networks (about 2 ms on networks whose arithmetic
 *       takes microseconds).</li>
 *   <li><b>Larger stacks</b>, where the matrix products are most of the work: each product is one direct OpenBLAS
 *       {@code gemm} call ({@link DirectBlas}) in the network's own precision, reading the weights from the
 *       evaluator's parameter vector and writing the weight gradients into its gradient vector in place (no copy of
 *       either per step); the elementwise work (bias, activation, loss, their derivatives) is plain Java on native
 *       buffers allocated once per evaluator. It needs ND4J on OpenBLAS and a float or double network; elsewhere
 *       the generic path is used.</li>
 * </ul>
 *
 * <p>Both compute what the generic path computes (the output layer's mean loss without regularization, dropout
 * off) up to rounding, which {@code DenseStackTest} checks against DL4J on random networks: 1e-7 relative on
 * double networks (1e-9 for the BLAS products), and on float networks to float rounding. Networks it does not cover
 * take the generic path.
 *
 * <p>Supported: {@code DenseLayer} and a final {@code OutputLayer}, with or without bias; activations identity,
 * tanh, sigmoid, ReLU and leaky ReLU (softmax on the output layer with MCXENT or negative log-likelihood); losses
 * MSE and L2 (any of those activations) and MCXENT/negative log-likelihood with softmax; no loss weights, input
 * preprocessors or masks. It keeps its own copy of the data (in double precision for small stacks, in the network's
 * precision otherwise), beside the surface's copy, another reason to estimate on a subset of a few thousand
 * examples.
 */
final class DenseStack {
    /**
     * Weights (multiply-adds of one example's forward pass) above which the products run on BLAS instead of plain
     * Java. Chosen against DL4J's generic path, before the BLAS path existed: measured on a 2-core AMD EPYC with one
     * thread, MLPs h-h-h-10, at a minibatch of 256 the plain-Java loss and gradient take 0.31 ms against DL4J's
     * 2.0 ms at 672 weights, 0.83 against 2.3 at 2,368, 2.1 against 2.7 at 8,832; at a minibatch of 64, 0.56
     * against 2.0 ms at 8,832. Plain Java's cost grows with weights times batch, so it stops paying near here at
     * the default minibatch; above it BLAS-3 products do. (Where the BLAS path overtakes plain Java below this size
     * was not measured: the plain-Java path also computes in double, exact to rounding against DL4J.)
     */
    static final long MAX_WORK = 8_000;
    /** Clipping of softmax outputs in the MCXENT score, as DL4J's {@code LossMCXENT} does. */
    private static final double SOFTMAX_CLIP = 1e-10;

    private enum Act { IDENTITY, TANH, SIGMOID, RELU, LEAKY_RELU, SOFTMAX }

    private enum Loss { MSE, L2, MCXENT }

    private record Dense(int nIn, int nOut, boolean bias, Act act, double alpha, long offset) {
        long weights() {
            return (long) nIn * nOut;
        }
    }

    private final List<Dense> layers;
    private final Loss loss;
    /**
     * For the plain-Java evaluator (null with BLAS), each example's features and then its labels, in double
     * precision: a minibatch gathers each example from one place (one or two cache lines, not two far apart).
     */
    private final double[] examples;
    /** Features and labels row-major in the network's precision, for the BLAS evaluator; null without. */
    private final INDArray nativeFeatures;
    private final INDArray nativeLabels;
    private final int inputs;
    private final int outputs;
    private final int widest;

    private DenseStack(List<Dense> layers, Loss loss, INDArray x, INDArray y, boolean blas) {
        this.layers = layers;
        this.loss = loss;
        this.nativeFeatures = blas ? rowMajor(x, x.dataType()) : null;
        this.nativeLabels = blas ? rowMajor(y, x.dataType()) : null;
        this.inputs = layers.get(0).nIn();
        this.outputs = layers.get(layers.size() - 1).nOut();
        this.examples = blas ? null : interleaved(rowMajor(x, DataType.DOUBLE).data().asDouble(),
                rowMajor(y, DataType.DOUBLE).data().asDouble(), inputs, outputs);
        this.widest = layers.stream().mapToInt(l -> Math.max(l.nIn(), l.nOut())).max().orElseThrow();
    }

    /** Rows of {@code inputs} features followed by {@code outputs} labels, one per example. */
    private static double[] interleaved(double[] features, double[] labels, int inputs, int outputs) {
        int n = features.length / inputs;
        double[] rows = new double[n * (inputs + outputs)];
        for (int e = 0; e < n; e++) {
            System.arraycopy(features, e * inputs, rows, e * (inputs + outputs), inputs);
            System.arraycopy(labels, e * outputs, rows, e * (inputs + outputs) + inputs, outputs);
        }
        return rows;
    }

    /**
     * The fast path for this configuration and data, or empty if either is outside what it supports (or large
     * enough for the generic path to be faster). The configuration must already have dropout and regularization
     * removed.
     */
    static Optional<DenseStack> of(MultiLayerConfiguration conf, ExampleData data) {
        if (!conf.getInputPreProcessors().isEmpty() || data.numInputs() != 1 || data.numOutputs() != 1
                || data.hasMasks()) {
            return Optional.empty();
        }
        List<Dense> layers = new ArrayList<>();
        List<NeuralNetConfiguration> confs = conf.getConfs();
        long offset = 0;
        long work = 0;
        Loss loss = null;
        for (int i = 0; i < confs.size(); i++) {
            Layer layer = confs.get(i).getLayer();
            boolean last = i == confs.size() - 1;
            if (!(layer instanceof FeedForwardLayer) || layer.getIDropout() != null
                    || !(last ? layer instanceof OutputLayer : layer.getClass() == DenseLayer.class)) {
                return Optional.empty();
            }
            FeedForwardLayer dense = (FeedForwardLayer) layer;
            if (dense.getWeightNoise() != null || !dense.getRegularization().isEmpty()
                    || !dense.getRegularizationBias().isEmpty()) {
                return Optional.empty();
            }
            boolean bias = last ? ((OutputLayer) layer).hasBias() : ((DenseLayer) layer).hasBias();
            Optional<Act> act = activation(dense.getActivationFn(), last);
            if (act.isEmpty() || dense.getNIn() <= 0 || dense.getNOut() <= 0
                    || dense.getNIn() > Integer.MAX_VALUE || dense.getNOut() > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            double alpha = dense.getActivationFn() instanceof ActivationLReLU lrelu ? lrelu.getAlpha() : 0;
            Dense d = new Dense((int) dense.getNIn(), (int) dense.getNOut(), bias, act.get(), alpha, offset);
            if (!layers.isEmpty() && layers.get(layers.size() - 1).nOut() != d.nIn()) {
                return Optional.empty();
            }
            layers.add(d);
            offset += d.weights() + (bias ? d.nOut() : 0);
            work += d.weights();
            if (last) {
                loss = loss(((OutputLayer) layer).getLossFn(), act.get());
            }
        }
        boolean blas = work > MAX_WORK;
        DataType type = conf.getDataType();
        if (loss == null || blas && (!DirectBlas.available() || type != DataType.FLOAT && type != DataType.DOUBLE)) {
            return Optional.empty();
        }
        INDArray x = data.features(0);
        INDArray y = data.labels(0);
        if (x.rank() != 2 || y.rank() != 2 || x.size(1) != layers.get(0).nIn()
                || y.size(1) != layers.get(layers.size() - 1).nOut() || blas && x.dataType() != type
                || x.length() > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new DenseStack(layers, loss, x, y, blas));
    }

    private static Optional<Act> activation(IActivation fn, boolean output) {
        if (fn instanceof ActivationIdentity) {
            return Optional.of(Act.IDENTITY);
        } else if (fn instanceof ActivationTanH) {
            return Optional.of(Act.TANH);
        } else if (fn instanceof ActivationSigmoid) {
            return Optional.of(Act.SIGMOID);
        } else if (fn instanceof ActivationReLU relu && relu.getMax() == null && relu.getThreshold() == null
                && relu.getNegativeSlope() == null) {
            return Optional.of(Act.RELU);
        } else if (fn instanceof ActivationLReLU) {
            return Optional.of(Act.LEAKY_RELU);
        } else if (fn instanceof ActivationSoftmax && output) {
            return Optional.of(Act.SOFTMAX);
        }
        return Optional.empty();
    }

    /** The loss, if supported with the output activation (exact classes: subclasses may compute otherwise). */
    private static Loss loss(ILossFunction fn, Act act) {
        if (fn == null) {
            return null;
        }
        Class<?> type = fn.getClass();
        if (type == LossMSE.class && ((LossMSE) fn).getWeights() == null && act != Act.SOFTMAX) {
            return Loss.MSE;
        }
        if (type == LossL2.class && ((LossL2) fn).getWeights() == null && act != Act.SOFTMAX) {
            return Loss.L2;
        }
        if ((type == LossMCXENT.class || type == LossNegativeLogLikelihood.class)
                && ((LossMCXENT) fn).getWeights() == null && act == Act.SOFTMAX) {
            return Loss.MCXENT;
        }
        return null;
    }

    /** A row-major copy of a in the given type, outside any workspace. */
    private static INDArray rowMajor(INDArray a, DataType type) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return a.castTo(type).dup('c');
        }
    }

    /** An evaluator whose parameters start at the given centre (the network's flat parameter vector, copied). */
    LossSurface.Evaluator newEvaluator(INDArray center) {
        return examples != null ? new Evaluator(center) : new BlasEvaluator(center);
    }

    /** Whether this stack's evaluators run their products on BLAS (large stacks) rather than in plain Java. */
    boolean usesBlas() {
        return examples == null;
    }

    /** One output's term of an example's loss: -y log(p) (p clipped as DL4J's MCXENT does), or the squared error. */
    private double lossTerm(double value, double y) {
        if (loss == Loss.MCXENT) {
            return -y * Math.log(Math.min(Math.max(value, SOFTMAX_CLIP), 1 - SOFTMAX_CLIP));
        }
        return (value - y) * (value - y);
    }

    /** An example's loss from the sum of its output terms: MSE averages them over the outputs. */
    private double exampleLoss(double terms) {
        return loss == Loss.MSE ? terms / outputs : terms;
    }

    /**
     * d(mean loss)/d(output) divided by (output - label), on a batch of count examples; for MCXENT with softmax the
     * derivative with respect to the softmax's input.
     */
    private double outputGradientScale(int count) {
        return loss == Loss.MSE ? 2.0 / (outputs * count) : loss == Loss.L2 ? 2.0 / count : 1.0 / count;
    }

    /**
     * What both evaluators share: their own copy of the parameters the sampler moves, the gradient they write, and
     * the order of a loss-and-gradient call (the forward pass, then the backward pass into {@code gradient}).
     */
    private abstract static class StackEvaluator implements LossSurface.Evaluator {
        final INDArray parameters;
        final INDArray gradient;
        private boolean computed;

        StackEvaluator(INDArray center) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                parameters = center.dup();
                gradient = Nd4j.zeros(center.dataType(), center.shape());
            }
        }

        /** Runs the forward pass on the batch at the current parameters. */
        abstract void forward(int[] batch);

        /** The loss of the batch's example at row r (example index {@code example}) in the last forward pass. */
        abstract double rowLoss(int r, int example);

        /** Back-propagates the last forward pass, leaving the mean loss's gradient in {@code gradient}. */
        abstract void backward(int[] batch);

        @Override
        public final INDArray parameters() {
            return parameters;
        }

        @Override
        public final double lossAndGradient(int[] batch) {
            double value = meanLoss(batch);
            backward(batch);
            computed = true;
            return value;
        }

        @Override
        public final INDArray gradient() {
            Preconditions.checkState(computed, "lossAndGradient() has not been called");
            return gradient;
        }

        @Override
        public final double loss(int[] batch) {
            return meanLoss(batch);
        }

        /** An example's loss depends on it alone: the rows of the products are independent. */
        @Override
        public final Optional<double[]> exampleLosses(int[] batch) {
            forward(batch);
            double[] losses = new double[batch.length];
            for (int r = 0; r < batch.length; r++) {
                losses[r] = rowLoss(r, batch[r]);
            }
            return Optional.of(losses);
        }

        /** The mean over the batch of the per-example loss, as DL4J's loss functions define it. */
        private double meanLoss(int[] batch) {
            forward(batch);
            double sum = 0;
            for (int r = 0; r < batch.length; r++) {
                sum += rowLoss(r, batch[r]);
            }
            return sum / batch.length;
        }
    }

    /**
     * Evaluation state. Activations and loss derivatives are kept one array per unit ({@code a[layer][unit][row]}),
     * so that every inner loop runs along the minibatch from index 0 of its arrays: long, contiguous and vectorized
     * by the JIT even when the layers are a few units wide (HotSpot's C2 does not vectorize a loop whose arrays are
     * read at different offsets, {@code t[o + r] += c s[p + r]}: one array per unit made the products 5x faster).
     */
    private final class Evaluator extends StackEvaluator {
        /** The parameters as DL4J lays them out: per layer W (nIn x nOut, column-major), then the bias. */
        private final double[] w;
        private final double[] g;
        /** A float network's parameters or gradient on their way between {@code w}/{@code g} and its buffers. */
        private final float[] single;
        /** Activations per layer (index 0: the inputs) and unit of the last forward pass. */
        private final double[][][] a;
        /** The labels of the last forward pass's batch, per output unit. */
        private double[][] y = new double[0][];
        /** Loss derivative with respect to the pre-activations of the current layer, and of the one below. */
        private double[][] delta = new double[0][];
        private double[][] below = new double[0][];
        /** The size of the last forward pass's batch. */
        private int count;

        Evaluator(INDArray center) {
            super(center);
            w = new double[(int) center.length()];
            g = new double[w.length];
            single = center.dataType() == DataType.FLOAT ? new float[w.length] : null;
            a = new double[layers.size() + 1][][];
        }

        @Override
        void backward(int[] batch) {
            backpropagate();
            // One bulk copy for double and float: DataBuffer.setData(double[]) writes element by element. Other types
            // (half precision) keep ND4J's conversion.
            if (gradient.dataType() == DataType.DOUBLE) {
                gradient.data().asNioDouble().put(0, g);
            } else if (gradient.dataType() == DataType.FLOAT) {
                for (int i = 0; i < g.length; i++) {
                    single[i] = (float) g[i];
                }
                gradient.data().asNioFloat().put(0, single);
            } else {
                gradient.data().setData(g);
            }
        }

        @Override
        void forward(int[] batch) {
            count = batch.length;
            readParameters();
            double[][] x = buffer(0, inputs);
            if (y.length == 0 || y[0].length != count) {
                y = new double[outputs][count];
            }
            int stride = inputs + outputs;
            for (int r = 0; r < count; r++) {
                int example = batch[r] * stride;
                for (int i = 0; i < inputs; i++) {
                    x[i][r] = examples[example + i];
                }
                for (int j = 0; j < outputs; j++) {
                    y[j][r] = examples[example + inputs + j];
                }
            }
            for (int l = 0; l < layers.size(); l++) {
                Dense layer = layers.get(l);
                double[][] out = buffer(l + 1, layer.nOut());
                affine(layer, a[l], out);
                activate(layer, out);
            }
        }

        private void readParameters() {
            if (parameters.dataType() == DataType.DOUBLE) {
                parameters.data().asNioDouble().get(w);
            } else {
                float[] values = single;
                if (parameters.dataType() == DataType.FLOAT) {
                    parameters.data().asNioFloat().get(0, values);
                } else {
                    values = parameters.data().asFloat();
                }
                for (int i = 0; i < w.length; i++) {
                    w[i] = values[i];
                }
            }
        }

        /** The layer's activation arrays, one per unit, for a batch of {@code count} examples. */
        private double[][] buffer(int layer, int units) {
            if (a[layer] == null || a[layer][0].length != count) {
                a[layer] = new double[units][count];
            }
            return a[layer];
        }

        /** out[j] = b[j] + sum_i W[i, j] in[i], each a vector over the batch. */
        private void affine(Dense layer, double[][] in, double[][] out) {
            int nIn = layer.nIn();
            int base = (int) layer.offset();
            for (int j = 0; j < layer.nOut(); j++) {
                Arrays.fill(out[j], 0, count, layer.bias() ? w[base + nIn * layer.nOut() + j] : 0);
                mulAdd(out[j], in, nIn, count, w, base + j * nIn, 1);
            }
        }

        private void activate(Dense layer, double[][] z) {
            int width = layer.nOut();
            if (layer.act() == Act.SOFTMAX) {
                for (int r = 0; r < count; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < width; j++) {
                        max = Math.max(max, z[j][r]);
                    }
                    double total = 0;
                    for (int j = 0; j < width; j++) {
                        double e = Math.exp(z[j][r] - max);
                        z[j][r] = e;
                        total += e;
                    }
                    for (int j = 0; j < width; j++) {
                        z[j][r] /= total;
                    }
                }
                return;
            }
            for (int j = 0; j < width; j++) {
                double[] v = z[j];
                switch (layer.act()) {
                    case IDENTITY -> {
                    }
                    case TANH -> {
                        for (int k = 0; k < count; k++) {
                            v[k] = Math.tanh(v[k]);
                        }
                    }
                    case SIGMOID -> {
                        for (int k = 0; k < count; k++) {
                            v[k] = 1 / (1 + Math.exp(-v[k]));
                        }
                    }
                    case RELU -> {
                        for (int k = 0; k < count; k++) {
                            v[k] = v[k] > 0 ? v[k] : 0;
                        }
                    }
                    case LEAKY_RELU -> {
                        for (int k = 0; k < count; k++) {
                            v[k] = v[k] >= 0 ? v[k] : layer.alpha() * v[k];
                        }
                    }
                    default -> throw new AssertionError(layer.act());
                }
            }
        }

        @Override
        double rowLoss(int r, int example) {
            double[][] out = a[layers.size()];
            double terms = 0;
            for (int j = 0; j < outputs; j++) {
                terms += lossTerm(out[j][r], y[j][r]);
            }
            return exampleLoss(terms);
        }

        /** Gradient of the mean loss into g, from the activations of the last forward pass. */
        private void backpropagate() {
            int last = layers.size() - 1;
            double[][] out = a[last + 1];
            delta = resize(delta);
            below = resize(below);
            // d(mean loss)/d(output), then through the output activation (softmax with MCXENT: p - y at once).
            double scale = outputGradientScale(count);
            for (int j = 0; j < outputs; j++) {
                double[] d = delta[j];
                double[] o = out[j];
                double[] t = y[j];
                for (int r = 0; r < count; r++) {
                    d[r] = scale * (o[r] - t[r]);
                }
            }
            if (loss != Loss.MCXENT) {
                derivative(layers.get(last), out, delta);
            }
            for (int l = last; l >= 0; l--) {
                Dense layer = layers.get(l);
                double[][] in = a[l];
                int nIn = layer.nIn();
                int nOut = layer.nOut();
                int base = (int) layer.offset();
                weightGradient(in, nIn, delta, nOut, count, g, base);
                if (layer.bias()) {
                    for (int j = 0; j < nOut; j++) {
                        g[base + nIn * nOut + j] = sum(delta[j], count);
                    }
                }
                if (l == 0) {
                    break;
                }
                // below[i] = sum_j W[i, j] delta[j], then through the activation of the layer below.
                for (int i = 0; i < nIn; i++) {
                    Arrays.fill(below[i], 0, count, 0);
                    mulAdd(below[i], delta, nOut, count, w, base + i, nIn);
                }
                derivative(layers.get(l - 1), in, below);
                double[][] t = delta;
                delta = below;
                below = t;
            }
        }

        /** Loss-derivative buffers for the widest layer and the last forward pass's batch. */
        private double[][] resize(double[][] buffer) {
            return buffer.length > 0 && buffer[0].length >= count ? buffer : new double[widest][count];
        }

        /** Multiplies d by the activation's derivative, given the activation's outputs. */
        private void derivative(Dense layer, double[][] activations, double[][] d) {
            for (int j = 0; j < layer.nOut(); j++) {
                double[] y = activations[j];
                double[] v = d[j];
                switch (layer.act()) {
                    case IDENTITY -> {
                    }
                    case TANH -> {
                        for (int k = 0; k < count; k++) {
                            v[k] *= 1 - y[k] * y[k];
                        }
                    }
                    case SIGMOID -> {
                        for (int k = 0; k < count; k++) {
                            v[k] *= y[k] * (1 - y[k]);
                        }
                    }
                    case RELU -> {
                        for (int k = 0; k < count; k++) {
                            v[k] = y[k] > 0 ? v[k] : 0;
                        }
                    }
                    case LEAKY_RELU -> {
                        for (int k = 0; k < count; k++) {
                            v[k] = y[k] < 0 ? v[k] * layer.alpha() : v[k];
                        }
                    }
                    default -> throw new AssertionError(layer.act() + " is only supported as MCXENT's output");
                }
            }
        }
    }

    /**
     * Evaluation state of the BLAS path, in the network's precision. Activations and loss derivatives are kept
     * example-major ({@code a[example * units + unit]}: column-major units x examples), so that gathering a minibatch
     * is one block copy per example and each layer's products are single gemm calls on column-major operands
     * (DL4J's W is nIn x nOut column-major): forward Z = W^T A, backward dW = A delta^T and delta_below = W delta.
     * Every buffer is allocated once (regrown only if a larger batch comes); a call allocates nothing.
     */
    private final class BlasEvaluator extends StackEvaluator {
        private final Vec w;
        private final Vec g;
        private final Vec x;
        private final Vec y;
        /** Per layer: its weights and their gradient, views into w and g (column-major nIn x nOut). */
        private final Vec[] weights;
        private final Vec[] weightGradients;
        /** One layer's biases (forward pass) or their gradient, summed over the batch (backward pass), in double. */
        private final double[] biasSums = new double[widest];
        /** Activations per layer (index 0: the inputs) of the last forward pass, example-major. */
        private Vec[] a = new Vec[0];
        private Vec delta;
        private Vec below;
        private int capacity;

        BlasEvaluator(INDArray center) {
            super(center);
            w = Vec.of(parameters);
            g = Vec.of(gradient);
            x = Vec.of(nativeFeatures);
            y = Vec.of(nativeLabels);
            weights = new Vec[layers.size()];
            weightGradients = new Vec[layers.size()];
            for (int l = 0; l < layers.size(); l++) {
                weights[l] = w.from(layers.get(l).offset());
                weightGradients[l] = g.from(layers.get(l).offset());
            }
        }

        @Override
        public void close() {
            for (Vec v : a) {
                v.close();
            }
            if (delta != null) {
                delta.close();
                below.close();
            }
            a = new Vec[0];
            delta = null;
            below = null;
            capacity = 0;
        }

        /** Buffers for batches of up to count examples. */
        private void reserve(int count) {
            if (count <= capacity) {
                return;
            }
            close();
            DataType type = parameters.dataType();
            a = new Vec[layers.size() + 1];
            a[0] = Vec.allocate(type, (long) count * inputs);
            for (int l = 0; l < layers.size(); l++) {
                a[l + 1] = Vec.allocate(type, (long) count * layers.get(l).nOut());
            }
            delta = Vec.allocate(type, (long) count * widest);
            below = Vec.allocate(type, (long) count * widest);
            capacity = count;
        }

        @Override
        void forward(int[] batch) {
            int count = batch.length;
            reserve(count);
            for (int r = 0; r < count; r++) {
                a[0].copy(r * inputs, x, batch[r] * inputs, inputs);
            }
            for (int l = 0; l < layers.size(); l++) {
                Dense layer = layers.get(l);
                int nIn = layer.nIn();
                int nOut = layer.nOut();
                Vec z = a[l + 1];
                Vec.gemm(true, false, nOut, count, nIn, weights[l], nIn, a[l], nIn, 0, z, nOut);
                int bias = (int) layer.offset() + nIn * nOut;
                for (int j = 0; j < nOut; j++) {
                    biasSums[j] = layer.bias() ? w.get(bias + j) : 0;
                }
                if (layer.act() == Act.SOFTMAX) {
                    softmax(z, nOut, count);
                    continue;
                }
                for (int r = 0; r < count; r++) {
                    int o = r * nOut;
                    for (int j = 0; j < nOut; j++) {
                        z.set(o + j, activate(layer, z.get(o + j) + biasSums[j]));
                    }
                }
            }
        }

        @Override
        double rowLoss(int r, int example) {
            Vec out = a[layers.size()];
            int label = example * outputs;
            double terms = 0;
            for (int j = 0; j < outputs; j++) {
                terms += lossTerm(out.get(r * outputs + j), y.get(label + j));
            }
            return exampleLoss(terms);
        }

        /** Softmax of each example's pre-activations plus the biases (held in biasSums). */
        private void softmax(Vec z, int width, int count) {
            for (int r = 0; r < count; r++) {
                int o = r * width;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < width; j++) {
                    max = Math.max(max, z.get(o + j) + biasSums[j]);
                }
                double total = 0;
                for (int j = 0; j < width; j++) {
                    total += Math.exp(z.get(o + j) + biasSums[j] - max);
                }
                for (int j = 0; j < width; j++) {
                    z.set(o + j, Math.exp(z.get(o + j) + biasSums[j] - max) / total);
                }
            }
        }

        @Override
        void backward(int[] batch) {
            int count = batch.length;
            int last = layers.size() - 1;
            Vec out = a[last + 1];
            double scale = outputGradientScale(count);
            for (int r = 0; r < count; r++) {
                int label = batch[r] * outputs;
                for (int j = 0; j < outputs; j++) {
                    int k = r * outputs + j;
                    double d = scale * (out.get(k) - y.get(label + j));
                    delta.set(k, loss == Loss.MCXENT ? d : d * derivative(layers.get(last), out.get(k)));
                }
            }
            for (int l = last; l >= 0; l--) {
                Dense layer = layers.get(l);
                int nIn = layer.nIn();
                int nOut = layer.nOut();
                Vec.gemm(false, true, nIn, nOut, count, a[l], nIn, delta, nOut, 0, weightGradients[l], nIn);
                if (layer.bias()) {
                    Arrays.fill(biasSums, 0, nOut, 0);
                    for (int r = 0; r < count; r++) {
                        for (int j = 0; j < nOut; j++) {
                            biasSums[j] += delta.get(r * nOut + j);
                        }
                    }
                    int bias = (int) layer.offset() + nIn * nOut;
                    for (int j = 0; j < nOut; j++) {
                        g.set(bias + j, biasSums[j]);
                    }
                }
                if (l == 0) {
                    break;
                }
                Vec.gemm(false, false, nIn, count, nOut, weights[l], nIn, delta, nOut, 0, below, nIn);
                Dense previous = layers.get(l - 1);
                Vec activations = a[l];
                for (int k = 0; k < count * nIn; k++) {
                    below.set(k, below.get(k) * derivative(previous, activations.get(k)));
                }
                Vec t = delta;
                delta = below;
                below = t;
            }
        }
    }

    /** The activation function of a hidden or output layer (not softmax) at z. */
    private static double activate(Dense layer, double z) {
        return switch (layer.act()) {
            case IDENTITY -> z;
            case TANH -> Math.tanh(z);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            case RELU -> z > 0 ? z : 0;
            case LEAKY_RELU -> z >= 0 ? z : layer.alpha() * z;
            case SOFTMAX -> throw new AssertionError("softmax is computed per example");
        };
    }

    /** The derivative of the layer's activation function (not softmax), given its output a. */
    private static double derivative(Dense layer, double a) {
        return switch (layer.act()) {
            case IDENTITY -> 1;
            case TANH -> 1 - a * a;
            case SIGMOID -> a * (1 - a);
            case RELU -> a > 0 ? 1 : 0;
            case LEAKY_RELU -> a < 0 ? layer.alpha() : 1;
            case SOFTMAX -> throw new AssertionError("softmax is only supported as MCXENT's output");
        };
    }

    /**
     * target[r] += sum over k &lt; count of coefficients[c + k stride] sources[k][r], for r &lt; length: four sources
     * at a time, so that each pass over the target loads and stores it once for four multiply-adds.
     */
    private static void mulAdd(double[] target, double[][] sources, int count, int length, double[] coefficients,
            int c, int stride) {
        int k = 0;
        for (; k + 3 < count; k += 4) {
            double c0 = coefficients[c + k * stride];
            double c1 = coefficients[c + (k + 1) * stride];
            double c2 = coefficients[c + (k + 2) * stride];
            double c3 = coefficients[c + (k + 3) * stride];
            double[] s0 = sources[k];
            double[] s1 = sources[k + 1];
            double[] s2 = sources[k + 2];
            double[] s3 = sources[k + 3];
            for (int r = 0; r < length; r++) {
                target[r] += c0 * s0[r] + c1 * s1[r] + c2 * s2[r] + c3 * s3[r];
            }
        }
        for (; k < count; k++) {
            double ck = coefficients[c + k * stride];
            double[] sk = sources[k];
            for (int r = 0; r < length; r++) {
                target[r] += ck * sk[r];
            }
        }
    }

    /**
     * out[o + j rows + i] = sum over r &lt; length of x[i][r] d[j][r], for i &lt; rows and j &lt; cols (a layer's
     * weight gradient, column-major as DL4J lays W out): blocks of four rows by two columns, so that each load
     * serves several multiply-adds and eight sums run side by side, each over r in order.
     */
    private static void weightGradient(double[][] x, int rows, double[][] d, int cols, int length, double[] out,
            int o) {
        int j = 0;
        for (; j + 1 < cols; j += 2) {
            double[] y0 = d[j];
            double[] y1 = d[j + 1];
            int a = o + j * rows;
            int b = a + rows;
            int i = 0;
            for (; i + 3 < rows; i += 4) {
                double[] x0 = x[i];
                double[] x1 = x[i + 1];
                double[] x2 = x[i + 2];
                double[] x3 = x[i + 3];
                double s00 = 0;
                double s10 = 0;
                double s20 = 0;
                double s30 = 0;
                double s01 = 0;
                double s11 = 0;
                double s21 = 0;
                double s31 = 0;
                for (int r = 0; r < length; r++) {
                    double v = y0[r];
                    double u = y1[r];
                    s00 += x0[r] * v;
                    s10 += x1[r] * v;
                    s20 += x2[r] * v;
                    s30 += x3[r] * v;
                    s01 += x0[r] * u;
                    s11 += x1[r] * u;
                    s21 += x2[r] * u;
                    s31 += x3[r] * u;
                }
                out[a + i] = s00;
                out[a + i + 1] = s10;
                out[a + i + 2] = s20;
                out[a + i + 3] = s30;
                out[b + i] = s01;
                out[b + i + 1] = s11;
                out[b + i + 2] = s21;
                out[b + i + 3] = s31;
            }
            for (; i + 1 < rows; i += 2) {
                double[] x0 = x[i];
                double[] x1 = x[i + 1];
                double s00 = 0;
                double s10 = 0;
                double s01 = 0;
                double s11 = 0;
                for (int r = 0; r < length; r++) {
                    double v = y0[r];
                    double u = y1[r];
                    s00 += x0[r] * v;
                    s10 += x1[r] * v;
                    s01 += x0[r] * u;
                    s11 += x1[r] * u;
                }
                out[a + i] = s00;
                out[a + i + 1] = s10;
                out[b + i] = s01;
                out[b + i + 1] = s11;
            }
            for (; i < rows; i++) {
                double[] x0 = x[i];
                double s00 = 0;
                double s01 = 0;
                for (int r = 0; r < length; r++) {
                    s00 += x0[r] * y0[r];
                    s01 += x0[r] * y1[r];
                }
                out[a + i] = s00;
                out[b + i] = s01;
            }
        }
        if (j < cols) {
            dots(x, rows, d[j], length, out, o + j * rows);
        }
    }

    /** out[o + i] = sum over r &lt; length of x[i][r] y[r], for i &lt; rows: four rows at a time. */
    private static void dots(double[][] x, int rows, double[] y, int length, double[] out, int o) {
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            double[] x0 = x[i];
            double[] x1 = x[i + 1];
            double[] x2 = x[i + 2];
            double[] x3 = x[i + 3];
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int r = 0; r < length; r++) {
                double v = y[r];
                s0 += x0[r] * v;
                s1 += x1[r] * v;
                s2 += x2[r] * v;
                s3 += x3[r] * v;
            }
            out[o + i] = s0;
            out[o + i + 1] = s1;
            out[o + i + 2] = s2;
            out[o + i + 3] = s3;
        }
        for (; i < rows; i++) {
            double[] xi = x[i];
            double s0 = 0;
            for (int r = 0; r < length; r++) {
                s0 += xi[r] * y[r];
            }
            out[o + i] = s0;
        }
    }

    private static double sum(double[] x, int n) {
        double total = 0;
        for (int k = 0; k < n; k++) {
            total += x[k];
        }
        return total;
    }

    /**
     * A float or double vector in native memory, from some offset of an ND4J array's buffer: read and written by
     * index in double, and handed to BLAS as a pointer to its first element. The JIT sees one element type per run
     * (the network's), so the type test in {@link #get}/{@link #set} is predicted.
     */
    private static final class Vec implements AutoCloseable {
        private final INDArray owner;
        private final long offset;
        private final Pointer pointer;
        private final FloatBuffer floats;
        private final DoubleBuffer doubles;

        private Vec(INDArray owner, long offset) {
            Preconditions.checkArgument(owner.offset() == 0 && owner.length() <= Integer.MAX_VALUE,
                    "a dense stack's buffers must be whole arrays of at most 2^31 values (got: offset %s, length %s)",
                    owner.offset(), owner.length());
            this.owner = owner;
            this.offset = offset;
            Pointer base = owner.data().addressPointer();
            if (owner.dataType() == DataType.FLOAT) {
                pointer = new FloatPointer(base).position(offset);
                floats = owner.data().asNioFloat();
                doubles = null;
            } else {
                pointer = new DoublePointer(base).position(offset);
                floats = null;
                doubles = owner.data().asNioDouble();
            }
        }

        /** The whole buffer of a dense array (offset 0), float or double. */
        static Vec of(INDArray array) {
            return new Vec(array, 0);
        }

        /** A new uninitialized vector of the given type and length, outside any workspace. */
        static Vec allocate(DataType type, long length) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return of(Nd4j.createUninitialized(type, length));
            }
        }

        /** The same buffer from element {@code from} of this vector on. */
        Vec from(long from) {
            return new Vec(owner, offset + from);
        }

        double get(int i) {
            return floats != null ? floats.get((int) offset + i) : doubles.get((int) offset + i);
        }

        void set(int i, double value) {
            if (floats != null) {
                floats.put((int) offset + i, (float) value);
            } else {
                doubles.put((int) offset + i, value);
            }
        }

        /** this[at, at + length) = source[from, from + length), one block copy. */
        void copy(int at, Vec source, int from, int length) {
            if (floats != null) {
                floats.put((int) offset + at, source.floats, (int) source.offset + from, length);
            } else {
                doubles.put((int) offset + at, source.doubles, (int) source.offset + from, length);
            }
        }

        /**
         * c = op(a) op(b) + beta c, all column-major, in the vectors' common type (one BLAS gemm call); op transposes
         * where asked.
         */
        static void gemm(boolean transA, boolean transB, int m, int n, int k, Vec a, int lda, Vec b, int ldb,
                double beta, Vec c, int ldc) {
            int ta = transA ? openblas.CblasTrans : openblas.CblasNoTrans;
            int tb = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
            if (c.floats != null) {
                openblas.cblas_sgemm(openblas.CblasColMajor, ta, tb, m, n, k, 1f, (FloatPointer) a.pointer, lda,
                        (FloatPointer) b.pointer, ldb, (float) beta, (FloatPointer) c.pointer, ldc);
            } else {
                openblas.cblas_dgemm(openblas.CblasColMajor, ta, tb, m, n, k, 1.0, (DoublePointer) a.pointer, lda,
                        (DoublePointer) b.pointer, ldb, beta, (DoublePointer) c.pointer, ldc);
            }
        }

        /** Releases an array this vector allocated (views of the evaluator's parameters are never closed). */
        @Override
        public void close() {
            if (offset == 0 && owner.closeable()) {
                owner.close();
            }
        }
    }
}
