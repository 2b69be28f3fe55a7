package org.slt4j.symmetry;

import java.util.Arrays;
import java.util.Objects;

/**
 * A confirmed change of a layer's symmetry, emitted by {@link SymmetryTracker}. Immutable.
 *
 * <p>{@link #iteration()} is when the change first appeared; {@link #confirmedIteration()} is the scan at which it
 * had persisted long enough to be reported. {@link #before()} and {@link #after()} are the confirmed values of the
 * tracked quantity (a unit count, effective width or numerical rank, see {@link Kind}) before and after.
 */
public final class SymmetryEvent {

    /** What changed. Formation kinds make the model more degenerate (lower the LLC bound); the rest break. */
    public enum Kind {
        /** Units became dead; before/after: dead-unit count. */
        UNIT_DIED(true, "died"),
        /** Dead units became active again; before/after: dead-unit count. */
        UNIT_REVIVED(false, "revived"),
        /** Units' incoming or outgoing weights became zero; before/after: zero-unit count. */
        UNIT_DISCONNECTED(true, "disconnected (zero incoming or outgoing weights)"),
        /** Zero units got non-zero weights again; before/after: zero-unit count. */
        UNIT_RECONNECTED(false, "reconnected"),
        /** ReLU-family units became always active (linear); before/after: always-active count. */
        UNIT_LINEARIZED(true, "became always active (linear)"),
        /** Always-active units became non-linear again; before/after: always-active count. */
        UNIT_DELINEARIZED(false, "stopped being always active"),
        /** Units became duplicates of each other; before/after: units in duplicate clusters. */
        UNITS_MERGED(true, "merged into duplicates"),
        /** Duplicate units separated; before/after: units in duplicate clusters. */
        UNITS_SPLIT(false, "split apart"),
        /** Effective width decreased; before/after: effective width. */
        WIDTH_DROPPED(true, "effective width dropped"),
        /** Effective width increased; before/after: effective width. */
        WIDTH_ROSE(false, "effective width rose"),
        /** Numerical rank decreased; before/after: numerical rank. */
        RANK_DROPPED(true, "numerical rank dropped"),
        /** Numerical rank increased; before/after: numerical rank. */
        RANK_ROSE(false, "numerical rank rose");

        private final boolean formation;
        private final String phrase;

        Kind(boolean formation, String phrase) {
            this.formation = formation;
            this.phrase = phrase;
        }

        /** @return true for formation (degeneracy-increasing) kinds, false for breaking kinds */
        public boolean isFormation() {
            return formation;
        }
    }

    private final Kind kind;
    private final String layerName;
    private final int[] units;
    private final long iteration;
    private final long confirmedIteration;
    private final double before;
    private final double after;

    /**
     * @param kind               what changed
     * @param layerName          the layer
     * @param units              units involved, empty for width and rank events
     * @param iteration          iteration of the first scan showing the change
     * @param confirmedIteration iteration of the scan that confirmed it
     * @param before             confirmed value before
     * @param after              confirmed value after
     */
    public SymmetryEvent(Kind kind, String layerName, int[] units, long iteration, long confirmedIteration,
                         double before, double after) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.layerName = Objects.requireNonNull(layerName, "layerName");
        this.units = units.clone();
        this.iteration = iteration;
        this.confirmedIteration = confirmedIteration;
        this.before = before;
        this.after = after;
    }

    /** @return what changed */
    public Kind kind() {
        return kind;
    }

    /** @return the layer name */
    public String layerName() {
        return layerName;
    }

    /** @return the units involved, ascending; empty for width and rank events */
    public int[] units() {
        return units.clone();
    }

    /** @return the iteration of the first scan that showed the change */
    public long iteration() {
        return iteration;
    }

    /** @return the iteration of the scan that confirmed the change */
    public long confirmedIteration() {
        return confirmedIteration;
    }

    /** @return the confirmed value before the change */
    public double before() {
        return before;
    }

    /** @return the confirmed value after the change */
    public double after() {
        return after;
    }

    /** @return e.g. "layer 0: units [3, 7] died at iteration 120 (confirmed at 140): 2 -> 4" */
    public String description() {
        String what = units.length == 0 ? kind.phrase : "units " + Arrays.toString(units) + " " + kind.phrase;
        return String.format("layer %s: %s at iteration %d (confirmed at %d): %s -> %s", layerName, what, iteration,
                confirmedIteration, fmt(before), fmt(after));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SymmetryEvent e && kind == e.kind && layerName.equals(e.layerName)
                && Arrays.equals(units, e.units) && iteration == e.iteration
                && confirmedIteration == e.confirmedIteration && Double.compare(before, e.before) == 0
                && Double.compare(after, e.after) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, layerName, Arrays.hashCode(units), iteration, confirmedIteration, before, after);
    }

    @Override
    public String toString() {
        return kind + ": " + description();
    }
}
