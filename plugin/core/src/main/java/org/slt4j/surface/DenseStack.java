package org.slt4j.surface;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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

/**
 * The fast path for the networks most estimates run on: a MultiLayerNetwork of dense layers and one output layer
 * with standard activations and losses, on unmasked 2-d data. Its evaluators compute the loss and gradient in plain
 * Java on arrays allocated once, in double precision, instead of DL4J's generic layer machinery, whose fixed cost
 * per layer and call dominates an SGLD step on small networks (about 2 ms on networks whose arithmetic takes
 * microseconds).
 *
 * <p>It computes what the generic path computes (the output layer's mean loss without regularization, dropout
 * off) up to rounding, which {@code DenseStackTest} checks against DL4J on random networks (1e-7 relative in
 * double precision). Networks it does not cover,
 * and networks large enough for BLAS to pay off (more than {@link #MAX_WORK} weights), take the generic path.
 *
 * <p>Supported: {@code DenseLayer} and a final {@code OutputLayer}, with or without bias; activations identity,
 * tanh, sigmoid, ReLU and leaky ReLU (softmax on the output layer with MCXENT or negative log-likelihood); losses
 * MSE and L2 (any of those activations) and MCXENT/negative log-likelihood with softmax; no loss weights, input
 * preprocessors or masks. It keeps its own copy of the data in double precision (8 bytes per feature and label
 * value, beside the surface's copy), another reason to estimate on a subset of a few thousand examples.
 */
final class DenseStack {
    /**
     * Weights (multiply-adds of one example's forward pass) above which the generic path is used. Measured on a
     * 2-core AMD EPYC with one thread, MLPs h-h-h-10: at a minibatch of 256 the fast path's loss and gradient take
     * 0.31 ms against DL4J's 2.0 ms at 672 weights, 0.83 against 2.3 at 2,368, 2.1 against 2.7 at 8,832; at a
     * minibatch of 64, 0.56 against 2.0 ms at 8,832. Its cost grows with weights times batch, DL4J's stays near
     * its fixed cost until BLAS takes over, so the two meet near here at the default minibatch.
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
    private final double[] features;
    private final double[] labels;
    private final int inputs;
    private final int outputs;
    private final int widest;

    private DenseStack(List<Dense> layers, Loss loss, double[] features, double[] labels) {
        this.layers = layers;
        this.loss = loss;
        this.features = features;
        this.labels = labels;
        this.inputs = layers.get(0).nIn();
        this.outputs = layers.get(layers.size() - 1).nOut();
        this.widest = layers.stream().mapToInt(l -> Math.max(l.nIn(), l.nOut())).max().orElseThrow();
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
        if (loss == null || work > MAX_WORK) {
            return Optional.empty();
        }
        INDArray x = data.features(0);
        INDArray y = data.labels(0);
        if (x.rank() != 2 || y.rank() != 2 || x.size(1) != layers.get(0).nIn()
                || y.size(1) != layers.get(layers.size() - 1).nOut()) {
            return Optional.empty();
        }
        return Optional.of(new DenseStack(layers, loss, rowMajor(x), rowMajor(y)));
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

    private static double[] rowMajor(INDArray a) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        }
    }

    /** An evaluator whose parameters start at the given centre (the network's flat parameter vector, copied). */
    LossSurface.Evaluator newEvaluator(INDArray center) {
        return new Evaluator(center);
    }

    /**
     * Evaluation state. Activations and loss derivatives are kept unit-major ({@code a[unit * count + example]}),
     * so that every inner loop runs along the minibatch: long, contiguous and vectorizable by the JIT even when
     * the layers are a few units wide.
     */
    private final class Evaluator implements LossSurface.Evaluator {
        private final INDArray parameters;
        private final INDArray gradient;
        /** The parameters as DL4J lays them out: per layer W (nIn x nOut, column-major), then the bias. */
        private final double[] w;
        private final double[] g;
        /** Activations per layer (index 0: the inputs) of the last forward pass, unit-major. */
        private final double[][] a;
        /** Loss derivative with respect to the pre-activations of the current layer, and of the one below. */
        private double[] delta = new double[0];
        private double[] below = new double[0];
        private boolean computed;

        Evaluator(INDArray center) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                parameters = center.dup();
                gradient = Nd4j.zeros(center.dataType(), center.shape());
            }
            w = new double[(int) center.length()];
            g = new double[w.length];
            a = new double[layers.size() + 1][];
        }

        @Override
        public INDArray parameters() {
            return parameters;
        }

        @Override
        public double lossAndGradient(int[] batch) {
            double value = forward(batch);
            backward(batch);
            gradient.data().setData(g);
            computed = true;
            return value;
        }

        @Override
        public INDArray gradient() {
            Preconditions.checkState(computed, "lossAndGradient() has not been called");
            return gradient;
        }

        @Override
        public double loss(int[] batch) {
            return forward(batch);
        }

        /** Runs the forward pass on the batch at the current parameters; returns the mean loss. */
        private double forward(int[] batch) {
            int count = batch.length;
            readParameters();
            double[] x = buffer(0, count * inputs);
            for (int r = 0; r < count; r++) {
                int example = batch[r] * inputs;
                for (int i = 0; i < inputs; i++) {
                    x[i * count + r] = features[example + i];
                }
            }
            for (int l = 0; l < layers.size(); l++) {
                Dense layer = layers.get(l);
                double[] out = buffer(l + 1, count * layer.nOut());
                affine(layer, a[l], out, count);
                activate(layer, out, count);
            }
            return meanLoss(batch);
        }

        private void readParameters() {
            if (parameters.dataType() == DataType.DOUBLE) {
                parameters.data().asNioDouble().get(w);
            } else {
                float[] values = parameters.data().asFloat();
                for (int i = 0; i < w.length; i++) {
                    w[i] = values[i];
                }
            }
        }

        private double[] buffer(int layer, int size) {
            if (a[layer] == null || a[layer].length != size) {
                a[layer] = new double[size];
            }
            return a[layer];
        }

        /** out[j] = b[j] + sum_i W[i, j] in[i], each a vector over the batch. */
        private void affine(Dense layer, double[] in, double[] out, int count) {
            int nIn = layer.nIn();
            int nOut = layer.nOut();
            int base = (int) layer.offset();
            for (int j = 0; j < nOut; j++) {
                int o = j * count;
                Arrays.fill(out, o, o + count, layer.bias() ? w[base + nIn * nOut + j] : 0);
                mulAdd(out, o, in, nIn, count, w, base + j * nIn, 1);
            }
        }

        private void activate(Dense layer, double[] z, int count) {
            int n = count * layer.nOut();
            switch (layer.act()) {
                case IDENTITY -> {
                }
                case TANH -> {
                    for (int k = 0; k < n; k++) {
                        z[k] = Math.tanh(z[k]);
                    }
                }
                case SIGMOID -> {
                    for (int k = 0; k < n; k++) {
                        z[k] = 1 / (1 + Math.exp(-z[k]));
                    }
                }
                case RELU -> {
                    for (int k = 0; k < n; k++) {
                        z[k] = z[k] > 0 ? z[k] : 0;
                    }
                }
                case LEAKY_RELU -> {
                    for (int k = 0; k < n; k++) {
                        z[k] = z[k] >= 0 ? z[k] : layer.alpha() * z[k];
                    }
                }
                case SOFTMAX -> {
                    int width = layer.nOut();
                    for (int r = 0; r < count; r++) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < width; j++) {
                            max = Math.max(max, z[j * count + r]);
                        }
                        double total = 0;
                        for (int j = 0; j < width; j++) {
                            double e = Math.exp(z[j * count + r] - max);
                            z[j * count + r] = e;
                            total += e;
                        }
                        for (int j = 0; j < width; j++) {
                            z[j * count + r] /= total;
                        }
                    }
                }
                default -> throw new AssertionError(layer.act());
            }
        }

        /** The mean over the batch of the per-example loss, as DL4J's loss functions define it. */
        private double meanLoss(int[] batch) {
            int count = batch.length;
            double[] out = a[layers.size()];
            double sum = 0;
            for (int r = 0; r < count; r++) {
                int label = batch[r] * outputs;
                double example = 0;
                for (int j = 0; j < outputs; j++) {
                    double y = labels[label + j];
                    double value = out[j * count + r];
                    if (loss == Loss.MCXENT) {
                        example -= y * Math.log(Math.min(Math.max(value, SOFTMAX_CLIP), 1 - SOFTMAX_CLIP));
                    } else {
                        example += (value - y) * (value - y);
                    }
                }
                sum += loss == Loss.MSE ? example / outputs : example;
            }
            return sum / count;
        }

        /** Gradient of the mean loss into g, from the activations of the last forward pass. */
        private void backward(int[] batch) {
            int count = batch.length;
            int last = layers.size() - 1;
            double[] out = a[last + 1];
            delta = resize(delta, count * widest);
            below = resize(below, count * widest);
            // d(mean loss)/d(output), then through the output activation (softmax with MCXENT: p - y at once).
            double scale = loss == Loss.MSE ? 2.0 / (outputs * count) : loss == Loss.L2 ? 2.0 / count : 1.0 / count;
            for (int r = 0; r < count; r++) {
                int label = batch[r] * outputs;
                for (int j = 0; j < outputs; j++) {
                    delta[j * count + r] = scale * (out[j * count + r] - labels[label + j]);
                }
            }
            if (loss != Loss.MCXENT) {
                derivative(layers.get(last), out, delta, count);
            }
            for (int l = last; l >= 0; l--) {
                Dense layer = layers.get(l);
                double[] in = a[l];
                int nIn = layer.nIn();
                int nOut = layer.nOut();
                int base = (int) layer.offset();
                for (int j = 0; j < nOut; j++) {
                    int d = j * count;
                    dots(in, nIn, delta, d, count, g, base + j * nIn);
                    if (layer.bias()) {
                        g[base + nIn * nOut + j] = sum(delta, d, count);
                    }
                }
                if (l == 0) {
                    break;
                }
                // below[i] = sum_j W[i, j] delta[j], then through the activation of the layer below.
                Arrays.fill(below, 0, nIn * count, 0);
                for (int i = 0; i < nIn; i++) {
                    mulAdd(below, i * count, delta, nOut, count, w, base + i, nIn);
                }
                derivative(layers.get(l - 1), in, below, count);
                double[] t = delta;
                delta = below;
                below = t;
            }
        }

        /** Multiplies d by the activation's derivative, given the activation's outputs. */
        private void derivative(Dense layer, double[] activations, double[] d, int count) {
            int n = count * layer.nOut();
            switch (layer.act()) {
                case IDENTITY -> {
                }
                case TANH -> {
                    for (int k = 0; k < n; k++) {
                        d[k] *= 1 - activations[k] * activations[k];
                    }
                }
                case SIGMOID -> {
                    for (int k = 0; k < n; k++) {
                        d[k] *= activations[k] * (1 - activations[k]);
                    }
                }
                case RELU -> {
                    for (int k = 0; k < n; k++) {
                        d[k] = activations[k] > 0 ? d[k] : 0;
                    }
                }
                case LEAKY_RELU -> {
                    for (int k = 0; k < n; k++) {
                        d[k] = activations[k] < 0 ? d[k] * layer.alpha() : d[k];
                    }
                }
                default -> throw new AssertionError(layer.act() + " is only supported as MCXENT's output");
            }
        }
    }

    /**
     * target[t + r] += sum over k &lt; sources of coefficients[c + k stride] source[k count + r], for r &lt; count: four
     * sources at a time, so that each pass over the target loads and stores it once for four multiply-adds.
     */
    private static void mulAdd(double[] target, int t, double[] source, int sources, int count,
            double[] coefficients, int c, int stride) {
        int k = 0;
        for (; k + 3 < sources; k += 4) {
            double c0 = coefficients[c + k * stride];
            double c1 = coefficients[c + (k + 1) * stride];
            double c2 = coefficients[c + (k + 2) * stride];
            double c3 = coefficients[c + (k + 3) * stride];
            int s0 = k * count;
            int s1 = s0 + count;
            int s2 = s1 + count;
            int s3 = s2 + count;
            for (int r = 0; r < count; r++) {
                target[t + r] += c0 * source[s0 + r] + c1 * source[s1 + r] + c2 * source[s2 + r]
                        + c3 * source[s3 + r];
            }
        }
        for (; k < sources; k++) {
            double ck = coefficients[c + k * stride];
            int sk = k * count;
            for (int r = 0; r < count; r++) {
                target[t + r] += ck * source[sk + r];
            }
        }
    }

    /**
     * out[o + i] = sum over r &lt; count of x[i count + r] y[j + r], for i &lt; rows: four rows at a time, so that each
     * load of y serves four multiply-adds.
     */
    private static void dots(double[] x, int rows, double[] y, int j, int count, double[] out, int o) {
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            int x0 = i * count;
            int x1 = x0 + count;
            int x2 = x1 + count;
            int x3 = x2 + count;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int r = 0; r < count; r++) {
                double v = y[j + r];
                s0 += x[x0 + r] * v;
                s1 += x[x1 + r] * v;
                s2 += x[x2 + r] * v;
                s3 += x[x3 + r] * v;
            }
            out[o + i] = s0;
            out[o + i + 1] = s1;
            out[o + i + 2] = s2;
            out[o + i + 3] = s3;
        }
        for (; i < rows; i++) {
            int xi = i * count;
            double s0 = 0;
            for (int r = 0; r < count; r++) {
                s0 += x[xi + r] * y[j + r];
            }
            out[o + i] = s0;
        }
    }

    private static double sum(double[] x, int from, int n) {
        double total = 0;
        for (int k = from; k < from + n; k++) {
            total += x[k];
        }
        return total;
    }

    private static double[] resize(double[] array, int size) {
        return array.length >= size ? array : new double[size];
    }
}
