package org.slt4j.check;

import static org.slt4j.report.Format.num;

import java.util.Arrays;
import org.assertj.core.api.AbstractAssert;
import org.slt4j.symmetry.LayerSymmetry;
import org.slt4j.symmetry.SymmetrySnapshot;

/**
 * Assertions on a {@link SymmetrySnapshot}; obtain with {@link SltAssertions#assertThat(SymmetrySnapshot)}.
 * {@link #layer(String)} moves on to one layer's assertions.
 */
public final class SymmetrySnapshotAssert extends AbstractAssert<SymmetrySnapshotAssert, SymmetrySnapshot> {

    SymmetrySnapshotAssert(SymmetrySnapshot actual) {
        super(actual, SymmetrySnapshotAssert.class);
    }

    /**
     * Assertions on one analysed layer.
     *
     * @param layerName the layer's name as the scanner reports it (MultiLayerNetwork: {@code layer0},
     *                  {@code layer1}... unless named; ComputationGraph: the vertex name)
     */
    public LayerSymmetryAssert layer(String layerName) {
        isNotNull();
        LayerSymmetry layer = actual.layer(layerName).orElse(null);
        if (layer == null) {
            failWithMessage("%s", "Expecting a layer named '" + layerName + "' but the snapshot has: "
                    + actual.layers().stream().map(LayerSymmetry::layerName).toList()
                    + (actual.skippedLayers().isEmpty() ? "" : " (skipped: " + actual.skippedLayers() + ")"));
        }
        return new LayerSymmetryAssert(layer);
    }

    /** Checks the network's total effective width (sum over analysed layers) lies in [lo, hi]. */
    public SymmetrySnapshotAssert hasTotalEffectiveWidthWithin(int lo, int hi) {
        isNotNull();
        int width = actual.totalEffectiveWidth();
        if (width < lo || width > hi) {
            fail("Expecting the total effective width within [" + lo + ", " + hi + "] but found " + width);
        }
        return this;
    }

    /** Checks the symmetry bound (d - k) / 2 on the LLC lies in [lo, hi]. */
    public SymmetrySnapshotAssert hasLlcUpperBoundWithin(double lo, double hi) {
        isNotNull();
        double bound = actual.llcUpperBound();
        if (!(bound >= lo && bound <= hi)) {
            fail("Expecting the LLC upper bound (d - k)/2 within [" + num(lo) + ", " + num(hi) + "] but found "
                    + num(bound) + " (d=" + actual.totalParameters() + ", k=" + actual.removableDirections() + ")");
        }
        return this;
    }

    /** Checks that no analysed layer has dead units. */
    public SymmetrySnapshotAssert hasNoDeadUnits() {
        isNotNull();
        for (LayerSymmetry l : actual.layers()) {
            if (l.deadUnits().length > 0) {
                fail("Expecting no dead units but layer " + l.layerName() + " has " + l.deadUnits().length
                        + " of " + l.units() + ": " + Arrays.toString(l.deadUnits()));
            }
        }
        return this;
    }

    private void fail(String message) {
        failWithMessage("%s", message + " (scan at iteration " + actual.iteration() + ")");
    }
}
