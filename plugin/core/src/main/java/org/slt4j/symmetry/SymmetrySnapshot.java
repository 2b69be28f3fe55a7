package org.slt4j.symmetry;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One scan of a network: the per-layer diagnostics, the layers that could not be analysed, and the network totals
 * behind the upper bound on the local learning coefficient. Immutable.
 *
 * <h2>Removable directions k</h2>
 * k counts parameter directions along which the network function is exactly unchanged on the probe data, as if
 * the flagged degeneracies were exact (they are, at tolerance 0). With {@code n_in} incoming weights per unit,
 * {@code beta} = 1 if the layer has a bias, and {@code n_out} outgoing weights per unit, each unit contributes
 * the first rule that applies:
 * <ol>
 * <li>dead (zero output): {@code n_in + beta} (its incoming weights and bias), plus {@code n_out} (its outgoing
 *     weights) when those are known;</li>
 * <li>zero outgoing: {@code n_in + beta};</li>
 * <li>zero incoming (constant): {@code beta + n_out} when the consumer is a dense layer with a bias that absorbs
 *     the constant, else 0 (zero padding makes a constant channel's contribution position-dependent);</li>
 * <li>member of a duplicate cluster of size c: the cluster contributes {@code (c - 1) * n_out} (only the
 *     weighted sum of the members' outgoing weights matters), plus c rescalings if the activation is positively
 *     homogeneous;</li>
 * <li>any other unit with known outgoing weights and a ReLU, leaky ReLU or identity activation: 1 (the
 *     rescaling {@code (w_i, b_i, a_i) -> (c w_i, c b_i, a_i / c)}, a generic symmetry, counted because it is
 *     exact at every parameter).</li>
 * </ol>
 * Units of a layer whose outgoing weights are unknown (including the output layer) only contribute rule 1
 * without {@code n_out}. Where a consumer's dead or zero-outgoing unit frees an incoming weight that a producer's
 * rule also frees, the shared weights are subtracted once per pair, so no direction is counted twice.
 * Deliberately not counted (the bound stays an upper bound): the softmax shift symmetry, the full GL(h)
 * symmetry of linear layers, symmetries through pooling, normalization or merge vertices, and discrete
 * symmetries (permutations, sign flips: dimension 0).
 *
 * <p>Then {@link #llcUpperBound()} = (d - k) / 2: a k-dimensional piece of the true-parameter set through w*
 * implies lambda(w*) &lt;= (d - k) / 2 (Watanabe 2009, "Algebraic Geometry and Statistical Learning Theory"; see
 * docs/user-guide.md, "Symmetries explain the number"). It is approximate when thresholds are above 0 and
 * assumes the probe batch is representative of the data.
 */
public final class SymmetrySnapshot {

    private final long iteration;
    private final SymmetryThresholds thresholds;
    private final List<LayerSymmetry> layers;
    private final List<SkippedLayer> skippedLayers;
    private final long totalParameters;
    private final long removableDirections;

    private SymmetrySnapshot(long iteration, SymmetryThresholds thresholds, List<LayerSymmetry> layers,
                             List<SkippedLayer> skippedLayers, long totalParameters, long removableDirections) {
        this.iteration = iteration;
        this.thresholds = thresholds;
        this.layers = layers;
        this.skippedLayers = skippedLayers;
        this.totalParameters = totalParameters;
        this.removableDirections = removableDirections;
    }

    /**
     * Builds a snapshot; used by the scanner, and by tests and readers that rebuild snapshots.
     *
     * @param iteration       training iteration of the scan, -1 when unknown
     * @param thresholds      thresholds used
     * @param layers          analysed layers, names unique
     * @param skippedLayers   layers not analysed, with why
     * @param totalParameters d, the number of parameters of the whole network
     * @return the snapshot; k is the sum of the layers' removable directions
     * @throws IllegalArgumentException if iteration &lt; -1, d &lt; 0, names repeat, or k &gt; d
     */
    public static SymmetrySnapshot of(long iteration, SymmetryThresholds thresholds, List<LayerSymmetry> layers,
                                      List<SkippedLayer> skippedLayers, long totalParameters) {
        Objects.requireNonNull(thresholds, "thresholds");
        if (iteration < -1) {
            throw new IllegalArgumentException("iteration must be >= -1 (got: " + iteration + ")");
        }
        if (totalParameters < 0) {
            throw new IllegalArgumentException("totalParameters must be >= 0 (got: " + totalParameters + ")");
        }
        Set<String> names = new HashSet<>();
        for (LayerSymmetry l : layers) {
            if (!names.add(l.layerName())) {
                throw new IllegalArgumentException("layer names must be unique (repeated: " + l.layerName() + ")");
            }
        }
        long k = layers.stream().mapToLong(LayerSymmetry::removableDirections).sum();
        if (k > totalParameters) {
            throw new IllegalArgumentException(
                    "removable directions must be <= totalParameters=" + totalParameters + " (got: " + k + ")");
        }
        return new SymmetrySnapshot(iteration, thresholds, List.copyOf(layers), List.copyOf(skippedLayers),
                totalParameters, k);
    }

    /** @return the training iteration of the scan, -1 when unknown */
    public long iteration() {
        return iteration;
    }

    /** @return the thresholds this snapshot was computed with */
    public SymmetryThresholds thresholds() {
        return thresholds;
    }

    /** @return analysed layers in network order (ComputationGraph: topological order) */
    public List<LayerSymmetry> layers() {
        return layers;
    }

    /** @return layers that were not analysed, with the reason */
    public List<SkippedLayer> skippedLayers() {
        return skippedLayers;
    }

    /**
     * @param layerName a layer name
     * @return that layer's diagnostics, empty if it was skipped or does not exist
     */
    public Optional<LayerSymmetry> layer(String layerName) {
        return layers.stream().filter(l -> l.layerName().equals(layerName)).findFirst();
    }

    /** @return d, the number of parameters of the network */
    public long totalParameters() {
        return totalParameters;
    }

    /** @return k, the exactly flat directions found (see the class documentation for the rule) */
    public long removableDirections() {
        return removableDirections;
    }

    /** @return (d - k) / 2, an upper bound on the local learning coefficient at the scanned parameter */
    public double llcUpperBound() {
        return (totalParameters - removableDirections) / 2.0;
    }

    /** @return the sum of the analysed layers' effective widths */
    public int totalEffectiveWidth() {
        return layers.stream().mapToInt(LayerSymmetry::effectiveWidth).sum();
    }

    @Override
    public String toString() {
        return "SymmetrySnapshot{iteration=" + iteration + ", d=" + totalParameters + ", k=" + removableDirections
                + ", layers=" + layers + ", skipped=" + skippedLayers + "}";
    }

    /**
     * A layer the scanner did not analyse.
     *
     * @param layerName the layer name
     * @param reason    why, e.g. "SubsamplingLayer has no weights"
     */
    public record SkippedLayer(String layerName, String reason) {
        /** Checks that both fields are present. */
        public SkippedLayer {
            Objects.requireNonNull(layerName, "layerName");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
