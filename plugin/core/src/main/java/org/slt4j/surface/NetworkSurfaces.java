package org.slt4j.surface;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loss surfaces of DL4J networks: the mean training loss of the network's output layer(s) as a function of its
 * flat parameter vector, on data held in memory.
 *
 * <p>What is sampled, precisely:
 * <ul>
 *   <li>The surface is centred at the network's parameters at the time of the call (copied; later training does
 *       not move it). The user's network is never modified: its parameters, updater state, listeners and input
 *       are left exactly as they were.</li>
 *   <li>Each evaluator works on a private copy of the network built from its configuration (not
 *       {@code clone()}, which would copy the updater state and, for a ComputationGraph, share listeners).</li>
 *   <li>The loss is the output layer's loss, averaged over the minibatch, <em>without</em> L1/L2/weight-decay
 *       terms (those are not part of the likelihood; the estimator has its own optional weight decay).</li>
 *   <li>Dropout and weight noise are switched off in the copy, so the loss is a deterministic function of the
 *       parameters. The copy runs in training mode, so batch normalization uses batch statistics.</li>
 *   <li>Frozen layers (DL4J's {@code FrozenLayer}, {@code FrozenLayerWithBackprop} and {@code FrozenVertex}, as
 *       {@code TransferLearning} makes them) are held fixed: the surface's parameters are the trainable ones only
 *       ({@link LossSurface#dimension()} counts those), in the network's order with the frozen ones left out, and
 *       the LLC is that of the trainable part at the frozen layers' values. The copy evaluates the wrapped layers
 *       themselves, with their dropout and regularization removed like any other layer's.</li>
 *   <li>Batch normalization's running mean and variance (which DL4J keeps in the parameter vector, and moves with
 *       "gradients" of its own) are no parameters of the loss: they are held fixed and left out of the surface's
 *       parameters like frozen ones. The copy runs in training mode, so the sampled loss normalizes with each
 *       minibatch's statistics, as training did; the running statistics would matter only at test time.</li>
 * </ul>
 * The data is copied into memory once (outside any workspace) and minibatches are drawn from it by index, so
 * pass the subset you want to estimate on (a few hundred to a few thousand examples is typical).
 *
 * <p><b>Sequences and masks.</b> An example is what DL4J's loss averages over: for recurrent networks a whole
 * sequence, so {@link LossSurface#dataSize()} counts sequences, minibatches are drawn of whole sequences with their
 * feature and label masks, and the LLC's n (the training-set size) counts sequences too. Data sets padded to
 * different lengths are merged with masks. A mask must fit the array it masks (sequences: [examples, steps] or the
 * array's shape; 2-d arrays: [examples, 1] or the array's shape), or the surface is refused naming both shapes.
 *
 * <p><b>A loss to sample.</b> The network must end in an output or loss layer, and each output of a graph must be
 * one ({@link #checkLoss(MultiLayerNetwork)}); a graph may have several inputs and outputs, and its loss is the sum
 * of its outputs' losses, as DL4J computes it.
 *
 * <p><b>Speed.</b> A MultiLayerNetwork of dense layers and an output layer with standard activations and losses
 * (identity, tanh, sigmoid, ReLU, leaky ReLU; MSE, L2, or softmax with MCXENT/negative log-likelihood), on unmasked
 * data, is evaluated by a fast path that computes the same loss and gradient on buffers allocated once: with at
 * most 8,000 weights in plain Java in double precision (DL4J's fixed cost per layer and call, about 2 ms per step,
 * is most of an SGLD step on such networks; the fast path takes 0.1 to 2 ms), above that with one direct OpenBLAS
 * {@code gemm} call per matrix product in the network's precision (where ND4J runs on OpenBLAS; about half a DL4J
 * step on a 784-256-256-10 MLP). docs/benchmarks.md has the numbers. Every other network uses DL4J's own forward
 * and backward passes.
 * Setting the system property {@value #FAST_PATH_PROPERTY} to {@code false} turns the fast path off.
 */
public final class NetworkSurfaces {
    /**
     * System property that switches the fast path for dense networks off when set to {@code false} (for
     * comparisons; both paths compute the same loss).
     */
    public static final String FAST_PATH_PROPERTY = "slt4j.denseFastPath";

    private NetworkSurfaces() {
    }

    /** A surface for a MultiLayerNetwork on the examples of the given data sets. */
    public static LossSurface of(MultiLayerNetwork network, List<? extends DataSet> data) {
        Objects.requireNonNull(data, "data");
        List<MultiDataSet> parts = new ArrayList<>();
        for (DataSet ds : data) {
            parts.add(ExampleData.toMulti(ds));
        }
        return of(network, parts, "data");
    }

    /** A surface for a MultiLayerNetwork on the examples of one data set. */
    public static LossSurface of(MultiLayerNetwork network, DataSet data) {
        return of(network, List.of(data));
    }

    /**
     * A surface for a MultiLayerNetwork on all examples the iterator yields. The iterator is reset before and
     * after (when it supports reset) and must not be the one {@code fit()} is consuming.
     */
    public static LossSurface of(MultiLayerNetwork network, DataSetIterator data) {
        return of(network, ExampleData.collect(data), "data iterator");
    }

    /** A surface for a ComputationGraph on the examples of the given multi data sets. */
    public static LossSurface of(ComputationGraph graph, List<? extends MultiDataSet> data) {
        Objects.requireNonNull(data, "data");
        return of(graph, new ArrayList<>(data), "data");
    }

    /** A surface for a ComputationGraph on all examples a multi-data-set iterator yields (reset before/after). */
    public static LossSurface of(ComputationGraph graph, MultiDataSetIterator data) {
        return of(graph, ExampleData.collect(data), "data iterator");
    }

    /** A surface for a single-input, single-output ComputationGraph on all examples of a data-set iterator. */
    public static LossSurface of(ComputationGraph graph, DataSetIterator data) {
        return of(graph, ExampleData.collect(data), "data iterator");
    }

    /**
     * The indices {@code [from, to)} of a layer's parameters in the surface {@link #of} builds for the network, for
     * {@link LossSurface#restrictTo(long, long)}: {@code surface.restrictTo(range[0], range[1])}. They are the
     * indices in the network's flat parameter vector, less the parameters of frozen layers before the layer.
     *
     * @param layerName the layer's name, or its index ("0", "1", ...)
     * @throws IllegalArgumentException if there is no such layer, it has no parameters, or it is frozen
     */
    public static long[] layerRange(MultiLayerNetwork network, String layerName) {
        int index = layerIndex(network, layerName);
        return inSurface(range(network.params(), layerParams(network.getLayer(index), layerName)),
                fixedRanges(network), layerName);
    }

    /**
     * The name under which slt4j reports a layer of a MultiLayerNetwork (in symmetry scans and per-layer LLC
     * records): its configured name, which DL4J sets to "layer" + index unless the configuration names it.
     *
     * @param layerName the layer's name, or its index ("0", "1", ...)
     * @throws IllegalArgumentException if there is no such layer
     */
    public static String layerName(MultiLayerNetwork network, String layerName) {
        int index = layerIndex(network, layerName);
        String configured = network.getLayer(index).conf().getLayer().getLayerName();
        return configured != null ? configured : String.valueOf(index);
    }

    private static int layerIndex(MultiLayerNetwork network, String layerName) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(layerName, "layerName");
        for (int i = 0; i < network.getnLayers(); i++) {
            if (layerName.equals(network.getLayer(i).conf().getLayer().getLayerName())
                    || layerName.equals(String.valueOf(i))) {
                return i;
            }
        }
        throw new IllegalArgumentException("layer " + layerName + " must exist in the network (got: no such layer)");
    }

    /**
     * The indices {@code [from, to)} of a graph layer's parameters in the surface {@link #of} builds for the graph
     * (see {@link #layerRange(MultiLayerNetwork, String)}).
     *
     * @throws IllegalArgumentException if there is no such layer, it has no parameters, or it is frozen
     */
    public static long[] layerRange(ComputationGraph graph, String layerName) {
        Objects.requireNonNull(graph, "graph");
        return inSurface(range(graph.params(), layerParams(graph.getLayer(layerName), layerName)),
                fixedRanges(graph), layerName);
    }

    private static INDArray layerParams(org.deeplearning4j.nn.api.Layer layer, String layerName) {
        Preconditions.checkArgument(layer != null, "layer %s must exist in the network (got: no such layer)",
                layerName);
        Preconditions.checkArgument(layer.numParams() > 0, "layer %s must have parameters (got: none)", layerName);
        return layer.params();
    }

    /** Where a part of the flat parameter vector lies in it: a layer's parameters are a view into the vector. */
    private static long[] range(INDArray all, INDArray part) {
        long from = part.offset() - all.offset();
        return new long[] {from, from + part.length()};
    }

    private static LossSurface of(MultiLayerNetwork network, List<MultiDataSet> parts, String dataName) {
        Objects.requireNonNull(network, "network");
        Preconditions.checkArgument(network.isInitCalled() && network.numParams() > 0,
                "network must be initialized with init() (got: a network without parameters)");
        checkLoss(network);
        ExampleData data = ExampleData.of(parts, network.getLayerWiseConfigurations().getDataType());
        Preconditions.checkArgument(data.numInputs() == 1 && data.numOutputs() == 1,
                "%s must have one features and one labels array for a MultiLayerNetwork (got: %s and %s)",
                dataName, data.numInputs(), data.numOutputs());
        MultiLayerConfiguration conf = samplingConfiguration(network);
        INDArray center = detachedCopy(network.params());
        Optional<DenseStack> fast = Boolean.parseBoolean(System.getProperty(FAST_PATH_PROPERTY, "true"))
                ? DenseStack.of(conf, data) : Optional.empty();
        LossSurface all = fast.isPresent() ? new DlSurface(data, center, () -> fast.get().newEvaluator(center))
                : new DlSurface(data, center, () -> evaluator(data, new MlnCopy(conf, center)));
        return trainable(check(all, dataName), fixedRanges(network));
    }

    private static LossSurface of(ComputationGraph graph, List<MultiDataSet> parts, String dataName) {
        Objects.requireNonNull(graph, "graph");
        Preconditions.checkArgument(graph.getVertices() != null && graph.numParams() > 0,
                "graph must be initialized with init() (got: a graph without parameters)");
        checkLoss(graph);
        ExampleData data = ExampleData.of(parts, graph.getConfiguration().getDataType());
        Preconditions.checkArgument(data.numInputs() == graph.getNumInputArrays()
                        && data.numOutputs() == graph.getNumOutputArrays(),
                "%s must have %s features and %s labels arrays for this graph (got: %s and %s)", dataName,
                graph.getNumInputArrays(), graph.getNumOutputArrays(), data.numInputs(), data.numOutputs());
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        for (Map.Entry<String, GraphVertex> entry : conf.getVertices().entrySet()) {
            if (entry.getValue() instanceof FrozenVertex frozen) {
                entry.setValue(frozen.getUnderlying());
            }
            if (entry.getValue() instanceof LayerVertex vertex) {
                NeuralNetConfiguration layerConf = vertex.getLayerConf();
                layerConf.setLayer(unwrapFrozen(layerConf.getLayer()));
                stripStochasticAndRegularization(layerConf.getLayer());
            }
        }
        INDArray center = detachedCopy(graph.params());
        return trainable(check(new DlSurface(data, center, () -> evaluator(data, new GraphCopy(conf, center))),
                dataName), fixedRanges(graph));
    }

    /**
     * Checks that the network has a loss to sample: its last layer must be an output or loss layer (DL4J's
     * {@code IOutputLayer}, such as {@code OutputLayer}, {@code RnnOutputLayer} or {@code LossLayer}). A network
     * without one (for example a Keras model imported without its loss) computes outputs but no loss.
     *
     * @throws IllegalArgumentException naming the last layer and its type if it is not an output or loss layer
     */
    public static void checkLoss(MultiLayerNetwork network) {
        Objects.requireNonNull(network, "network");
        int last = network.getnLayers() - 1;
        Preconditions.checkArgument(last >= 0 && network.getOutputLayer() instanceof IOutputLayer,
                "network's last layer must be an output or loss layer, which defines the loss the LLC samples "
                        + "(got: layer %s, a %s; add an OutputLayer or LossLayer, as a Keras import without a loss "
                        + "lacks one)", last, last >= 0 ? layerType(network.getLayer(last)) : "network without layers");
    }

    /**
     * Checks that every output of the graph is an output or loss layer (see
     * {@link #checkLoss(MultiLayerNetwork)}).
     *
     * @throws IllegalArgumentException naming the first output that is not, and its type
     */
    public static void checkLoss(ComputationGraph graph) {
        Objects.requireNonNull(graph, "graph");
        for (String output : graph.getConfiguration().getNetworkOutputs()) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex vertex = graph.getVertex(output);
            boolean hasLoss = vertex.hasLayer() && vertex.getLayer() instanceof IOutputLayer;
            Preconditions.checkArgument(hasLoss, "graph output %s must be an output or loss layer, which defines "
                    + "the loss the LLC samples (got: a %s; add an OutputLayer or LossLayer after it)", output,
                    vertex.hasLayer() ? layerType(vertex.getLayer()) : vertex.getClass().getSimpleName());
        }
    }

    /** The configured type of a layer, frozen wrappers named by what they wrap. */
    private static String layerType(org.deeplearning4j.nn.api.Layer layer) {
        return unwrapFrozen(layer.conf().getLayer()).getClass().getSimpleName();
    }

    /**
     * A copy of the network's configuration with what the sampled loss leaves out removed, and frozen layers
     * unwrapped (see above).
     */
    static MultiLayerConfiguration samplingConfiguration(MultiLayerNetwork network) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
        for (NeuralNetConfiguration layerConf : conf.getConfs()) {
            layerConf.setLayer(unwrapFrozen(layerConf.getLayer()));
            stripStochasticAndRegularization(layerConf.getLayer());
        }
        return conf;
    }

    /**
     * The layer configuration a frozen wrapper ({@code FrozenLayer}, {@code FrozenLayerWithBackprop}) holds, or the
     * layer itself when it is not frozen: what the layer computes, whatever training does to its parameters.
     */
    public static Layer unwrapFrozen(Layer layer) {
        if (layer instanceof FrozenLayer frozen) {
            return unwrapFrozen(frozen.getLayer());
        }
        return layer instanceof FrozenLayerWithBackprop frozen ? unwrapFrozen(frozen.getUnderlying()) : layer;
    }

    private static boolean isFrozen(Layer layer) {
        return layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop;
    }

    /**
     * The parameter ranges the surface holds fixed, sorted: frozen layers whole, and the running mean and variance
     * of batch normalization layers.
     */
    private static List<long[]> fixedRanges(MultiLayerNetwork network) {
        List<long[]> fixed = new ArrayList<>();
        List<NeuralNetConfiguration> layers = network.getLayerWiseConfigurations().getConfs();
        for (int i = 0; i < layers.size(); i++) {
            addFixed(fixed, network.params(), isFrozen(layers.get(i).getLayer()), network.getLayer(i));
        }
        fixed.sort(Comparator.comparingLong(r -> r[0]));
        return fixed;
    }

    /** The parameter ranges of the graph that the surface holds fixed, sorted (see the MultiLayerNetwork's). */
    private static List<long[]> fixedRanges(ComputationGraph graph) {
        List<long[]> fixed = new ArrayList<>();
        graph.getConfiguration().getVertices().forEach((name, vertex) -> {
            boolean frozen = vertex instanceof FrozenVertex
                    || vertex instanceof LayerVertex layer && isFrozen(layer.getLayerConf().getLayer());
            org.deeplearning4j.nn.graph.vertex.GraphVertex live = graph.getVertex(name);
            if (live.numParams() > 0) {
                addFixed(fixed, graph.params(), frozen, live.hasLayer() ? live.getLayer() : null);
                if (frozen && !live.hasLayer()) {
                    fixed.add(range(graph.params(), live.params()));
                }
            }
        });
        fixed.sort(Comparator.comparingLong(r -> r[0]));
        return fixed;
    }

    /** A frozen layer's whole range, or a batch normalization layer's running statistics. */
    private static void addFixed(List<long[]> fixed, INDArray all, boolean frozen,
            org.deeplearning4j.nn.api.Layer layer) {
        if (layer == null || layer.numParams() == 0) {
            return;
        }
        if (frozen) {
            fixed.add(range(all, layer.params()));
            return;
        }
        if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
            for (String key : List.of(BatchNormalizationParamInitializer.GLOBAL_MEAN,
                    BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
                INDArray statistic = layer.paramTable().get(key);
                if (statistic != null) {
                    fixed.add(range(all, statistic));
                }
            }
        }
    }

    /** The surface restricted to the parameters outside the frozen ranges (sorted); the surface itself if none. */
    private static LossSurface trainable(LossSurface all, List<long[]> frozen) {
        if (frozen.isEmpty()) {
            return all;
        }
        List<long[]> trainable = new ArrayList<>();
        long next = 0;
        for (long[] r : frozen) {
            if (r[0] > next) {
                trainable.add(new long[] {next, r[0]});
            }
            next = r[1];
        }
        if (next < all.dimension()) {
            trainable.add(new long[] {next, all.dimension()});
        }
        Preconditions.checkArgument(!trainable.isEmpty(), "network must have trainable parameters (got: all %s are "
                + "in frozen layers or batch normalization statistics)", all.dimension());
        return new RestrictedSurface(all, trainable.toArray(long[][]::new));
    }

    /**
     * A layer's range in the surface's indices: its range in the flat vector less the fixed parameters before its
     * ends (a layer's sampled parameters are contiguous in the surface: batch normalization keeps its running
     * statistics after its scale and shift).
     *
     * @throws IllegalArgumentException if the surface holds all the layer's parameters fixed
     */
    private static long[] inSurface(long[] range, List<long[]> fixed, String layerName) {
        long from = range[0] - fixedBelow(fixed, range[0]);
        long to = range[1] - fixedBelow(fixed, range[1]);
        Preconditions.checkArgument(from < to, "layer %s must be trainable for a per-layer LLC (got: a frozen "
                + "layer, whose parameters the surface holds fixed)", layerName);
        return new long[] {from, to};
    }

    private static long fixedBelow(List<long[]> fixed, long index) {
        return fixed.stream().mapToLong(r -> Math.max(0, Math.min(r[1], index) - r[0])).sum();
    }

    private static INDArray detachedCopy(INDArray params) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return params.dup();
        }
    }

    /** Dropout and weight noise make the loss random; regularization is not part of the likelihood. */
    private static void stripStochasticAndRegularization(Layer layer) {
        layer.setIDropout(null);
        if (layer instanceof BaseLayer) {
            BaseLayer base = (BaseLayer) layer;
            base.setRegularization(new ArrayList<>());
            base.setRegularizationBias(new ArrayList<>());
            base.setWeightNoise(null);
        }
    }

    /** Evaluates one example so that data that does not fit the network fails now, not inside a chain. */
    private static LossSurface check(LossSurface surface, String dataName) {
        try (LossSurface.Evaluator evaluator = surface.newEvaluator()) {
            double loss = evaluator.lossAndGradient(new int[] {0});
            Preconditions.checkArgument(!Double.isNaN(loss), "%s gives a NaN loss at the network's parameters",
                    dataName);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(dataName + " does not fit the network: " + e.getMessage(), e);
        }
        return surface;
    }

    /** One private copy of a network: the operations an evaluator needs. */
    interface NetworkCopy {
        INDArray params();

        /** Sets the batch, runs forward and backward passes, returns the mean loss. */
        double computeGradientAndScore(MultiDataSet batch);

        /** The gradient of the SUM of per-example losses (DL4J's convention), a view reused by the copy. */
        INDArray summedGradient();

        /** Mean loss on the batch in training mode, forward pass only. */
        double score(MultiDataSet batch);
    }

    private static final class MlnCopy implements NetworkCopy {
        private final MultiLayerNetwork net;

        MlnCopy(MultiLayerConfiguration conf, INDArray center) {
            net = new MultiLayerNetwork(conf.clone());
            net.init(center.dup(), false);
        }

        @Override
        public INDArray params() {
            return net.params();
        }

        @Override
        public double computeGradientAndScore(MultiDataSet batch) {
            net.setInput(batch.getFeatures(0));
            net.setLabels(batch.getLabels(0));
            net.setLayerMaskArrays(batch.getFeaturesMaskArray(0), batch.getLabelsMaskArray(0));
            net.computeGradientAndScore();
            return net.score();
        }

        @Override
        public INDArray summedGradient() {
            return net.gradient().gradient();
        }

        @Override
        public double score(MultiDataSet batch) {
            return net.score(new org.nd4j.linalg.dataset.DataSet(batch.getFeatures(0), batch.getLabels(0),
                    batch.getFeaturesMaskArray(0), batch.getLabelsMaskArray(0)), true);
        }
    }

    private static final class GraphCopy implements NetworkCopy {
        private final ComputationGraph graph;

        GraphCopy(ComputationGraphConfiguration conf, INDArray center) {
            graph = new ComputationGraph(conf.clone());
            graph.init(center.dup(), false);
        }

        @Override
        public INDArray params() {
            return graph.params();
        }

        @Override
        public double computeGradientAndScore(MultiDataSet batch) {
            graph.setInputs(batch.getFeatures());
            graph.setLabels(batch.getLabels());
            graph.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
            graph.computeGradientAndScore();
            return graph.score();
        }

        @Override
        public INDArray summedGradient() {
            return graph.gradient().gradient();
        }

        @Override
        public double score(MultiDataSet batch) {
            return graph.score(batch, true);
        }
    }

    /** The generic evaluator: a private copy of the network, driven through DL4J's own passes. */
    private static LossSurface.Evaluator evaluator(ExampleData data, NetworkCopy copy) {
        return new LossSurface.Evaluator() {
            private final ExampleData.Minibatches batches = data.minibatches();
            private INDArray gradient;

            @Override
            public INDArray parameters() {
                return copy.params();
            }

            @Override
            public double lossAndGradient(int[] batch) {
                double loss = copy.computeGradientAndScore(batches.of(batch));
                gradient = copy.summedGradient();
                gradient.divi(batch.length);
                return loss;
            }

            @Override
            public INDArray gradient() {
                Preconditions.checkState(gradient != null, "lossAndGradient() has not been called");
                return gradient;
            }

            @Override
            public double loss(int[] batch) {
                return copy.score(batches.of(batch));
            }
        };
    }

    private static final class DlSurface implements LossSurface {
        private final ExampleData data;
        private final INDArray center;
        private final Supplier<Evaluator> evaluators;

        DlSurface(ExampleData data, INDArray center, Supplier<Evaluator> evaluators) {
            this.data = data;
            this.center = center;
            this.evaluators = evaluators;
        }

        @Override
        public long dimension() {
            return center.length();
        }

        @Override
        public int dataSize() {
            return data.size();
        }

        @Override
        public DataType dataType() {
            return center.dataType();
        }

        @Override
        public INDArray initialParameters() {
            return detachedCopy(center);
        }

        @Override
        public Evaluator newEvaluator() {
            return evaluators.get();
        }
    }
}
