package org.slt4j.symmetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.slt4j.surface.NetworkSurfaces;

/**
 * Extracts {@link LayerView}s from a private copy of a network and the activations of a forward pass on it.
 * Supported: DenseLayer (without layer norm), OutputLayer, ConvolutionLayer (exact classes: subclasses lay out
 * weights differently). Outgoing weights are found when the unique consumer is such a layer, directly or (for
 * convolutions feeding dense layers) through a CnnToFeedForwardPreProcessor.
 */
final class LayerViews {

    private final List<LayerView> views = new ArrayList<>();
    private final List<SymmetrySnapshot.SkippedLayer> skipped = new ArrayList<>();

    private LayerViews() {
    }

    List<LayerView> views() {
        return views;
    }

    List<SymmetrySnapshot.SkippedLayer> skipped() {
        return skipped;
    }

    /** A layer's consumer, or why there is none usable. */
    private record Consumer(String name, org.deeplearning4j.nn.conf.layers.Layer conf, Layer layer,
                            InputPreProcessor preProcessor, String missingReason) {
        static Consumer missing(String reason) {
            return new Consumer(null, null, null, null, reason);
        }
    }

    static LayerViews of(MultiLayerNetwork copy, List<INDArray> activations) {
        LayerViews out = new LayerViews();
        MultiLayerConfiguration conf = copy.getLayerWiseConfigurations();
        int n = copy.getnLayers();
        for (int i = 0; i < n; i++) {
            Consumer consumer = i + 1 < n
                    ? new Consumer(name(conf.getConf(i + 1).getLayer(), i + 1), unwrap(conf.getConf(i + 1).getLayer()),
                    unwrap(copy.getLayer(i + 1)), conf.getInputPreProcess(i + 1), null)
                    : Consumer.missing("last layer: no outgoing weights");
            out.add(name(conf.getConf(i).getLayer(), i), i, unwrap(conf.getConf(i).getLayer()),
                    unwrap(copy.getLayer(i)), activations.get(i + 1), consumer);
        }
        return out;
    }

    static LayerViews of(ComputationGraph copy, Map<String, INDArray> activations) {
        LayerViews out = new LayerViews();
        ComputationGraphConfiguration conf = copy.getConfiguration();
        for (int index : copy.topologicalSortOrder()) {
            String name = copy.getVertices()[index].getVertexName();
            if (unwrap(conf.getVertices().get(name)) instanceof LayerVertex lv) {
                out.add(name, index, unwrap(lv.getLayerConf().getLayer()), unwrap(copy.getLayer(name)),
                        activations.get(name), consumerOf(name, copy));
            }
        }
        return out;
    }

    private static Consumer consumerOf(String name, ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkOutputs().contains(name)) {
            return Consumer.missing("network output: no outgoing weights");
        }
        List<String> consumers = conf.getVertexInputs().entrySet().stream()
                .filter(e -> e.getValue().contains(name)).map(Map.Entry::getKey).toList();
        if (consumers.size() != 1) {
            return Consumer.missing("output read by " + consumers.size() + " vertices " + consumers);
        }
        String c = consumers.get(0);
        GraphVertex v = unwrap(conf.getVertices().get(c));
        if (!(v instanceof LayerVertex lv)) {
            return Consumer.missing("output read by " + v.getClass().getSimpleName() + " '" + c + "'");
        }
        if (conf.getVertexInputs().get(c).size() != 1) {
            return Consumer.missing("consumer '" + c + "' has several inputs");
        }
        return new Consumer(c, unwrap(lv.getLayerConf().getLayer()), unwrap(graph.getLayer(c)), lv.getPreProcessor(),
                null);
    }

    /** A frozen layer is scanned as the layer it wraps: freezing stops training, not what the layer computes. */
    private static org.deeplearning4j.nn.conf.layers.Layer unwrap(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return NetworkSurfaces.unwrapFrozen(conf);
    }

    private static Layer unwrap(Layer layer) {
        if (layer instanceof org.deeplearning4j.nn.layers.FrozenLayer frozen) {
            return unwrap(frozen.getInsideLayer());
        }
        return layer instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop frozen
                ? unwrap(frozen.getInsideLayer()) : layer;
    }

    private static GraphVertex unwrap(GraphVertex vertex) {
        return vertex instanceof FrozenVertex frozen ? frozen.getUnderlying() : vertex;
    }

    private void add(String name, int index, org.deeplearning4j.nn.conf.layers.Layer conf, Layer layer,
                     INDArray activation, Consumer consumer) {
        String type = conf.getClass().getSimpleName();
        String unsupported = unsupportedReason(conf, layer);
        if (unsupported != null) {
            skipped.add(new SymmetrySnapshot.SkippedLayer(name, unsupported));
            return;
        }
        boolean conv = conf instanceof ConvolutionLayer;
        INDArray weights = layer.getParam("W");
        long units = conv ? weights.size(0) : weights.size(1);
        INDArray incoming = conv ? weights.reshape('c', units, weights.length() / units) : weights.transpose();
        INDArray bias = layer.paramTable().containsKey("b") ? layer.getParam("b").reshape(units) : null;
        double[] fractions = activeFractions(activation, conv ? ((ConvolutionLayer) conf) : null);

        INDArray outgoing = null;
        String reason = consumer.missingReason();
        long consumerUnits = 0;
        boolean consumerHasBias = false;
        boolean dense = false;
        if (reason == null) {
            String consumerUnsupported = unsupportedReason(consumer.conf(), consumer.layer());
            if (consumerUnsupported != null) {
                reason = "consumer '" + consumer.name() + "' not analysable: " + consumerUnsupported;
            } else {
                INDArray next = consumer.layer().getParam("W");
                dense = !(consumer.conf() instanceof ConvolutionLayer);
                consumerUnits = dense ? next.size(1) : next.size(0);
                consumerHasBias = consumer.layer().paramTable().containsKey("b");
                outgoing = outgoingWeights(conv, units, next, dense, consumer.preProcessor());
                if (outgoing == null) {
                    reason = "cannot map units to the weights of consumer '" + consumer.name() + "'"
                            + (consumer.preProcessor() == null ? ""
                            : " through " + consumer.preProcessor().getClass().getSimpleName());
                }
            }
        }
        views.add(new LayerView(name, index, type, ((BaseLayer) conf).getActivationFn(), incoming, bias, fractions,
                outgoing, reason, outgoing == null ? null : consumer.name(), consumerUnits,
                outgoing != null && dense && consumerHasBias, consumerHasBias, layer.numParams()));
    }

    /** Rows = units of the producer, or null when the layout between the two layers is not understood. */
    private static INDArray outgoingWeights(boolean producerConv, long units, INDArray next, boolean consumerDense,
                                            InputPreProcessor pre) {
        if (!producerConv && consumerDense && pre == null && next.size(0) == units) {
            return next;
        }
        if (producerConv && !consumerDense && pre == null && next.size(1) == units) {
            // [out, in, kh, kw]: unit i reads slice [:, i, :, :]
            return next.permute(1, 0, 2, 3).dup('c').reshape('c', units, next.length() / units);
        }
        if (producerConv && consumerDense && pre instanceof CnnToFeedForwardPreProcessor p
                && next.size(0) % units == 0) {
            // The preprocessor flattens in c order of the activation layout (NCHW: channel-major).
            long positions = next.size(0) / units;
            long nOut = next.size(1);
            if (p.getFormat() == CNN2DFormat.NHWC) {
                return next.reshape('c', positions, units, nOut).permute(1, 0, 2).dup('c')
                        .reshape('c', units, positions * nOut);
            }
            return next.dup('c').reshape('c', units, positions * nOut);
        }
        return null;
    }

    private static double[] activeFractions(INDArray activation, ConvolutionLayer conv) {
        boolean nhwc = conv != null && conv.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        int[] positions = conv == null ? new int[] {0} : nhwc ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
        // Counts positive outputs per unit in one native pass, without a mask array.
        double[] active = Nd4j.getExecutioner().exec(new MatchCondition(activation, Conditions.greaterThan(0.0),
                positions)).toDoubleVector();
        double perUnit = (double) activation.length() / active.length;
        for (int i = 0; i < active.length; i++) {
            active[i] /= perUnit;
        }
        return active;
    }

    private static String unsupportedReason(org.deeplearning4j.nn.conf.layers.Layer conf, Layer layer) {
        String type = conf.getClass().getSimpleName();
        if (layer.numParams() == 0) {
            return type + " has no weights";
        }
        Class<?> c = conf.getClass();
        if (c != DenseLayer.class && c != OutputLayer.class && c != ConvolutionLayer.class) {
            return type + " is not supported (DenseLayer, OutputLayer and ConvolutionLayer are)";
        }
        if (conf instanceof DenseLayer d && d.hasLayerNorm()) {
            return "DenseLayer with layer normalization is not supported";
        }
        return null;
    }

    private static String name(org.deeplearning4j.nn.conf.layers.Layer conf, int index) {
        return conf.getLayerName() != null ? conf.getLayerName() : String.valueOf(index);
    }
}
