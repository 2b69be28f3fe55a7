package org.slt4j.surface;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
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
 *   <li>Networks with frozen layers (DL4J's {@code FrozenLayer}, {@code FrozenLayerWithBackprop} and
 *       {@code FrozenVertex}, as {@code TransferLearning} makes them) are refused with an
 *       {@link IllegalArgumentException}: their parameters would be sampled as if trainable, which gives a wrong
 *       LLC, so no surface is built for them yet.</li>
 * </ul>
 * The data is copied into memory once (outside any workspace) and minibatches are drawn from it by index, so
 * pass the subset you want to estimate on (a few hundred to a few thousand examples is typical).
 *
 * <p><b>Speed.</b> A MultiLayerNetwork of dense layers and an output layer with standard activations and losses
 * (identity, tanh, sigmoid, ReLU, leaky ReLU; MSE, L2, or softmax with MCXENT/negative log-likelihood), on unmasked
 * data and with at most 8,000 weights, is evaluated by a fast path: the same loss and gradient, computed in plain
 * Java in double precision on buffers allocated once. On such networks DL4J's fixed cost per layer and call, about
 * 2 ms per step, is most of an SGLD step; the fast path takes 0.1 to 2 ms (docs/benchmarks.md). Every other network uses DL4J's own forward and backward passes.
 * Setting the system property {@value #FAST_PATH_PROPERTY} to {@code false} turns the fast path off.
 */
public final class NetworkSurfaces {
    /**
     * System property that switches the plain-Java fast path for small dense networks off when set to
     * {@code false} (for comparisons; both paths compute the same loss).
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
     * The indices {@code [from, to)} of a layer's parameters in the network's flat parameter vector, for
     * {@link LossSurface#restrictTo(long, long)}: {@code surface.restrictTo(range[0], range[1])}.
     *
     * @param layerName the layer's name, or its index ("0", "1", ...)
     * @throws IllegalArgumentException if there is no such layer or it has no parameters
     */
    public static long[] layerRange(MultiLayerNetwork network, String layerName) {
        return range(network.params(), network.getLayer(layerIndex(network, layerName)), layerName);
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

    /** The indices {@code [from, to)} of a graph layer's parameters in the graph's flat parameter vector. */
    public static long[] layerRange(ComputationGraph graph, String layerName) {
        Objects.requireNonNull(graph, "graph");
        return range(graph.params(), graph.getLayer(layerName), layerName);
    }

    private static long[] range(INDArray all, org.deeplearning4j.nn.api.Layer layer, String layerName) {
        Preconditions.checkArgument(layer != null, "layer %s must exist in the network (got: no such layer)",
                layerName);
        Preconditions.checkArgument(layer.numParams() > 0, "layer %s must have parameters (got: none)", layerName);
        // A layer's parameters are a view into the network's flat vector: the view's offset is the position.
        long from = layer.params().offset() - all.offset();
        return new long[] {from, from + layer.numParams()};
    }

    private static LossSurface of(MultiLayerNetwork network, List<MultiDataSet> parts, String dataName) {
        Objects.requireNonNull(network, "network");
        Preconditions.checkArgument(network.isInitCalled() && network.numParams() > 0,
                "network must be initialized with init() (got: a network without parameters)");
        ExampleData data = ExampleData.of(parts, network.getLayerWiseConfigurations().getDataType());
        Preconditions.checkArgument(data.numInputs() == 1 && data.numOutputs() == 1,
                "%s must have one features and one labels array for a MultiLayerNetwork (got: %s and %s)",
                dataName, data.numInputs(), data.numOutputs());
        List<String> frozen = new ArrayList<>();
        List<NeuralNetConfiguration> layers = network.getLayerWiseConfigurations().getConfs();
        for (int i = 0; i < layers.size(); i++) {
            if (isFrozen(layers.get(i).getLayer())) {
                frozen.add(i + " (" + layers.get(i).getLayer().getClass().getSimpleName() + ")");
            }
        }
        refuseFrozen(frozen);
        MultiLayerConfiguration conf = samplingConfiguration(network);
        INDArray center = detachedCopy(network.params());
        Optional<DenseStack> fast = Boolean.parseBoolean(System.getProperty(FAST_PATH_PROPERTY, "true"))
                ? DenseStack.of(conf, data) : Optional.empty();
        if (fast.isPresent()) {
            return check(new DlSurface(data, center, () -> fast.get().newEvaluator(center)), dataName);
        }
        return check(new DlSurface(data, center, () -> evaluator(data, new MlnCopy(conf, center))), dataName);
    }

    private static LossSurface of(ComputationGraph graph, List<MultiDataSet> parts, String dataName) {
        Objects.requireNonNull(graph, "graph");
        Preconditions.checkArgument(graph.getVertices() != null && graph.numParams() > 0,
                "graph must be initialized with init() (got: a graph without parameters)");
        ExampleData data = ExampleData.of(parts, graph.getConfiguration().getDataType());
        Preconditions.checkArgument(data.numInputs() == graph.getNumInputArrays()
                        && data.numOutputs() == graph.getNumOutputArrays(),
                "%s must have %s features and %s labels arrays for this graph (got: %s and %s)", dataName,
                graph.getNumInputArrays(), graph.getNumOutputArrays(), data.numInputs(), data.numOutputs());
        List<String> frozen = new ArrayList<>();
        graph.getConfiguration().getVertices().forEach((name, vertex) -> {
            if (vertex instanceof FrozenVertex
                    || vertex instanceof LayerVertex && isFrozen(((LayerVertex) vertex).getLayerConf().getLayer())) {
                frozen.add(name + " (" + (vertex instanceof FrozenVertex ? "FrozenVertex"
                        : ((LayerVertex) vertex).getLayerConf().getLayer().getClass().getSimpleName()) + ")");
            }
        });
        refuseFrozen(frozen);
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        for (GraphVertex vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex) {
                stripStochasticAndRegularization(((LayerVertex) vertex).getLayerConf().getLayer());
            }
        }
        INDArray center = detachedCopy(graph.params());
        return check(new DlSurface(data, center, () -> evaluator(data, new GraphCopy(conf, center))), dataName);
    }

    /** A copy of the network's configuration with what the sampled loss leaves out removed (see above). */
    static MultiLayerConfiguration samplingConfiguration(MultiLayerNetwork network) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
        for (NeuralNetConfiguration layerConf : conf.getConfs()) {
            stripStochasticAndRegularization(layerConf.getLayer());
        }
        return conf;
    }

    private static boolean isFrozen(Layer layer) {
        return layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop;
    }

    private static void refuseFrozen(List<String> frozen) {
        Preconditions.checkArgument(frozen.isEmpty(), "network must have no frozen layers (got: %s): their "
                + "parameters would be sampled as if they were trainable, which gives a wrong LLC; networks with "
                + "frozen layers are not supported yet", frozen);
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
            private INDArray gradient;

            @Override
            public INDArray parameters() {
                return copy.params();
            }

            @Override
            public double lossAndGradient(int[] batch) {
                double loss = copy.computeGradientAndScore(data.batch(batch));
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
                return copy.score(data.batch(batch));
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
