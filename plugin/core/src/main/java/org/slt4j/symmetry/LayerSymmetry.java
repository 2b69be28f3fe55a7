package org.slt4j.symmetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The symmetry diagnostics of one layer's units (the non-generic symmetries of docs/user-guide.md, "Parameters are
 * not all equally real"). Immutable: arrays are copied in and out.
 *
 * <p>A unit is an output column of a dense or output layer, or an output channel of a convolution layer. Unit
 * {@code i} has incoming weights {@code w_i} (a column of W, or one filter flattened) with bias {@code b_i}, and
 * outgoing weights {@code a_i} (the consuming layer's weights that read unit {@code i}).
 *
 * <p>Conventions: an empty array means "none found" for unit lists, and "not applicable" for
 * {@link #activeFractions()} and {@link #rescalingBalance()}; NaN means "not applicable or not computed" for
 * doubles; {@link #numericalRank()} is -1 when the spectrum was not computed.
 */
public final class LayerSymmetry {

    private final String layerName;
    private final int layerIndex;
    private final String layerType;
    private final String activation;
    private final int units;
    private final long fanIn;
    private final long parameters;
    private final String outgoingUnavailableReason;
    private final double[] activeFractions;
    private final int[] deadUnits;
    private final int[] alwaysActiveUnits;
    private final int[] zeroOutgoingUnits;
    private final int[] zeroIncomingUnits;
    private final List<int[]> duplicateClusters;
    private final int effectiveWidth;
    private final int numericalRank;
    private final double effectiveRank;
    private final double stableRank;
    private final double[] rescalingBalance;
    private final long removableDirections;

    private LayerSymmetry(Builder b, int[] dead, int[] alwaysActive, int[] zeroOut, int[] zeroIn,
                          List<int[]> clusters, int effectiveWidth) {
        this.layerName = b.layerName;
        this.layerIndex = b.layerIndex;
        this.layerType = b.layerType;
        this.activation = b.activation;
        this.units = b.units;
        this.fanIn = b.fanIn;
        this.parameters = b.parameters;
        this.outgoingUnavailableReason = b.outgoingUnavailableReason;
        this.activeFractions = b.activeFractions.clone();
        this.deadUnits = dead;
        this.alwaysActiveUnits = alwaysActive;
        this.zeroOutgoingUnits = zeroOut;
        this.zeroIncomingUnits = zeroIn;
        this.duplicateClusters = clusters;
        this.effectiveWidth = effectiveWidth;
        this.numericalRank = b.numericalRank;
        this.effectiveRank = b.effectiveRank;
        this.stableRank = b.stableRank;
        this.rescalingBalance = b.rescalingBalance.clone();
        this.removableDirections = b.removableDirections;
    }

    /** @return the layer name (vertex name in a ComputationGraph) */
    public String layerName() {
        return layerName;
    }

    /** @return the layer's index in the network (ComputationGraph: the vertex index), -1 when unknown */
    public int layerIndex() {
        return layerIndex;
    }

    /** @return the DL4J configuration class's simple name, e.g. {@code DenseLayer} */
    public String layerType() {
        return layerType;
    }

    /** @return the activation's name as DL4J prints it, e.g. {@code relu} */
    public String activation() {
        return activation;
    }

    /** @return the number of units (layer width) */
    public int units() {
        return units;
    }

    /** @return the number of incoming weights per unit, bias excluded */
    public long fanIn() {
        return fanIn;
    }

    /** @return the number of parameters of this layer */
    public long parameters() {
        return parameters;
    }

    /**
     * @return empty when the outgoing weights of the units were found; otherwise why not (output layer, consumer
     *         is not a dense or convolution layer, several consumers...). Without them, zero-outgoing units, the
     *         rescaling balance and the directions that need {@code a_i} are not reported.
     */
    public Optional<String> outgoingUnavailableReason() {
        return Optional.ofNullable(outgoingUnavailableReason);
    }

    /**
     * @return per unit, the fraction of probe positions (examples, times spatial positions for convolutions)
     *         where its activation is positive; empty when the activation is not in the ReLU family
     */
    public double[] activeFractions() {
        return activeFractions.clone();
    }

    /**
     * @return units whose output is exactly zero on (almost) all probe inputs (ReLU, ReLU6, thresholded ReLU,
     *         rectified tanh: active fraction at most {@link SymmetryThresholds#deadFraction()}), ascending.
     *         Leaky/smooth ReLU variants are never reported dead: their negative side is not constant.
     */
    public int[] deadUnits() {
        return deadUnits.clone();
    }

    /** @return ReLU-family units active on all but {@link SymmetryThresholds#deadFraction()} of the probe */
    public int[] alwaysActiveUnits() {
        return alwaysActiveUnits.clone();
    }

    /** @return units whose outgoing weights are (relatively) zero; empty when outgoing weights are unavailable */
    public int[] zeroOutgoingUnits() {
        return zeroOutgoingUnits.clone();
    }

    /** @return units whose incoming weights (bias excluded) are (relatively) zero: constant units */
    public int[] zeroIncomingUnits() {
        return zeroIncomingUnits.clone();
    }

    /**
     * @return clusters (connected components of the "duplicate" relation, size at least 2, ascending members)
     *         among units that are neither dead nor zero; empty when none
     */
    public List<int[]> duplicateClusters() {
        List<int[]> copy = new ArrayList<>(duplicateClusters.size());
        duplicateClusters.forEach(c -> copy.add(c.clone()));
        return Collections.unmodifiableList(copy);
    }

    /** @return dead units / units */
    public double deadFraction() {
        return (double) deadUnits.length / units;
    }

    /** @return always-active units / units */
    public double alwaysActiveFraction() {
        return (double) alwaysActiveUnits.length / units;
    }

    /** @return units removed by merging duplicates (sum of cluster size - 1) / units */
    public double duplicateFraction() {
        return (double) redundantDuplicates(duplicateClusters) / units;
    }

    /** @return units left after removing dead and zero (in or out) units and merging each duplicate cluster */
    public int effectiveWidth() {
        return effectiveWidth;
    }

    /** @return singular values of W above {@link SymmetryThresholds#rankTolerance()} x sigma_max; -1: not computed */
    public int numericalRank() {
        return numericalRank;
    }

    /** @return exp(entropy of sigma_k / sum sigma) (Roy and Vetterli); NaN when not computed or W is zero */
    public double effectiveRank() {
        return effectiveRank;
    }

    /** @return ||W||_F^2 / sigma_max^2; NaN when not computed or W is zero */
    public double stableRank() {
        return stableRank;
    }

    /**
     * @return per unit, {@code ||(w_i, b_i)||^2 - ||a_i||^2}, conserved by gradient flow along the rescaling
     *         symmetry; empty when not applicable (activation not ReLU/leaky ReLU/identity, or outgoing weights
     *         unavailable)
     */
    public double[] rescalingBalance() {
        return rescalingBalance.clone();
    }

    /** @return mean of {@link #rescalingBalance()}; NaN when not applicable */
    public double rescalingBalanceMean() {
        return rescalingBalance.length == 0 ? Double.NaN : Arrays.stream(rescalingBalance).average().orElseThrow();
    }

    /** @return max |balance| over units; NaN when not applicable */
    public double rescalingBalanceMaxAbs() {
        return rescalingBalance.length == 0 ? Double.NaN
                : Arrays.stream(rescalingBalance).map(Math::abs).max().orElseThrow();
    }

    /**
     * @return the number of exactly flat parameter directions attributed to this layer's units (see
     *         {@link SymmetrySnapshot#removableDirections()} for the rule)
     */
    public long removableDirections() {
        return removableDirections;
    }

    @Override
    public String toString() {
        return "LayerSymmetry{" + layerName + " " + layerType + "/" + activation + ", units=" + units + ", dead="
                + deadUnits.length + ", zeroOut=" + zeroOutgoingUnits.length + ", zeroIn=" + zeroIncomingUnits.length
                + ", duplicateClusters=" + duplicateClusters.size() + ", effectiveWidth=" + effectiveWidth
                + ", rank=" + numericalRank + ", removable=" + removableDirections + "}";
    }

    static int redundantDuplicates(List<int[]> clusters) {
        return clusters.stream().mapToInt(c -> c.length - 1).sum();
    }

    /**
     * Builder for {@link LayerSymmetry}. Each setter sets the value of the {@code LayerSymmetry} accessor of the same
     * name (documented there) and returns this builder; arrays and lists are copied. A new builder has nothing
     * detected and no spectrum: layer index -1, empty type and activation, no units listed, rank -1, NaN ranks, and
     * outgoing weights available ({@code outgoingUnavailableReason(null)}). The effective width is derived from
     * the unit sets, so it is always consistent with them; {@link #build()} checks indices and lengths.
     */
    public static final class Builder {
        private final String layerName;
        private final int units;
        private int layerIndex = -1;
        private String layerType = "";
        private String activation = "";
        private long fanIn;
        private long parameters;
        private String outgoingUnavailableReason;
        private double[] activeFractions = new double[0];
        private int[] deadUnits = new int[0];
        private int[] alwaysActiveUnits = new int[0];
        private int[] zeroOutgoingUnits = new int[0];
        private int[] zeroIncomingUnits = new int[0];
        private List<int[]> duplicateClusters = List.of();
        private int numericalRank = -1;
        private double effectiveRank = Double.NaN;
        private double stableRank = Double.NaN;
        private double[] rescalingBalance = new double[0];
        private long removableDirections;

        /**
         * Starts a layer record; used by the scanner, and by tests and readers that rebuild snapshots.
         *
         * @param layerName the layer (MultiLayerNetwork: its name or index as a string; ComputationGraph: vertex name)
         * @param units     number of units, > 0
         */
        public Builder(String layerName, int units) {
            this.layerName = Objects.requireNonNull(layerName, "layerName");
            this.units = units;
        }

        public Builder layerIndex(int v) {
            this.layerIndex = v;
            return this;
        }

        public Builder layerType(String v) {
            this.layerType = Objects.requireNonNull(v, "layerType");
            return this;
        }

        public Builder activation(String v) {
            this.activation = Objects.requireNonNull(v, "activation");
            return this;
        }

        public Builder fanIn(long v) {
            this.fanIn = v;
            return this;
        }

        public Builder parameters(long v) {
            this.parameters = v;
            return this;
        }

        public Builder outgoingUnavailableReason(String v) {
            this.outgoingUnavailableReason = v;
            return this;
        }

        public Builder activeFractions(double... v) {
            this.activeFractions = v.clone();
            return this;
        }

        public Builder deadUnits(int... v) {
            this.deadUnits = v.clone();
            return this;
        }

        public Builder alwaysActiveUnits(int... v) {
            this.alwaysActiveUnits = v.clone();
            return this;
        }

        public Builder zeroOutgoingUnits(int... v) {
            this.zeroOutgoingUnits = v.clone();
            return this;
        }

        public Builder zeroIncomingUnits(int... v) {
            this.zeroIncomingUnits = v.clone();
            return this;
        }

        public Builder duplicateClusters(List<int[]> v) {
            List<int[]> copy = new ArrayList<>(v.size());
            v.forEach(c -> copy.add(c.clone()));
            this.duplicateClusters = copy;
            return this;
        }

        public Builder numericalRank(int v) {
            this.numericalRank = v;
            return this;
        }

        public Builder effectiveRank(double v) {
            this.effectiveRank = v;
            return this;
        }

        public Builder stableRank(double v) {
            this.stableRank = v;
            return this;
        }

        public Builder rescalingBalance(double... v) {
            this.rescalingBalance = v.clone();
            return this;
        }

        public Builder removableDirections(long v) {
            this.removableDirections = v;
            return this;
        }

        /**
         * @return the layer record
         * @throws IllegalArgumentException when a count is negative, an index is out of range or repeated, an array
         *                                  has the wrong length, or a duplicate cluster is too small, overlaps
         *                                  another or contains a dead or zero unit
         */
        public LayerSymmetry build() {
            check(units > 0, "units must be > 0 (got: %s)", units);
            check(fanIn >= 0, "fanIn must be >= 0 (got: %s)", fanIn);
            check(parameters >= 0, "parameters must be >= 0 (got: %s)", parameters);
            check(removableDirections >= 0, "removableDirections must be >= 0 (got: %s)", removableDirections);
            check(numericalRank >= -1 && numericalRank <= units, "numericalRank must be in [-1, units=%s] (got: %s)",
                    units, numericalRank);
            checkLength("activeFractions", activeFractions.length);
            checkLength("rescalingBalance", rescalingBalance.length);
            int[] dead = sortedUnits("deadUnits", deadUnits);
            int[] zeroOut = sortedUnits("zeroOutgoingUnits", zeroOutgoingUnits);
            int[] zeroIn = sortedUnits("zeroIncomingUnits", zeroIncomingUnits);
            BitSet removed = new BitSet(units);
            for (int[] set : List.of(dead, zeroOut, zeroIn)) {
                Arrays.stream(set).forEach(removed::set);
            }
            BitSet clustered = new BitSet(units);
            List<int[]> clusters = new ArrayList<>(duplicateClusters.size());
            for (int[] c : duplicateClusters) {
                int[] members = sortedUnits("duplicateClusters member", c);
                check(members.length >= 2, "duplicate clusters must have >= 2 members (got: %s)",
                        Arrays.toString(c));
                for (int m : members) {
                    check(!clustered.get(m), "duplicate clusters must be disjoint (unit %s repeated)", m);
                    check(!removed.get(m), "duplicate clusters must not contain dead or zero units (got: %s)", m);
                    clustered.set(m);
                }
                clusters.add(members);
            }
            clusters.sort((x, y) -> Integer.compare(x[0], y[0]));
            int width = units - removed.cardinality() - redundantDuplicates(clusters);
            return new LayerSymmetry(this, dead, sortedUnits("alwaysActiveUnits", alwaysActiveUnits), zeroOut, zeroIn,
                    Collections.unmodifiableList(clusters), width);
        }

        private void checkLength(String name, int length) {
            check(length == 0 || length == units, "%s must have 0 or units=%s values (got: %s)", name, units,
                    length);
        }

        private int[] sortedUnits(String name, int[] indices) {
            int[] sorted = indices.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                check(sorted[i] >= 0 && sorted[i] < units, "%s must be in [0, %s) (got: %s)", name, units, sorted[i]);
                check(i == 0 || sorted[i] != sorted[i - 1], "%s must not repeat a unit (got: %s)", name, sorted[i]);
            }
            return sorted;
        }

        private static void check(boolean ok, String format, Object... args) {
            if (!ok) {
                throw new IllegalArgumentException(String.format(format, args));
            }
        }
    }
}
