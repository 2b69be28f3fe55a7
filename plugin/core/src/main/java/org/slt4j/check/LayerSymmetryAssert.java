package org.slt4j.check;

import static org.slt4j.report.Format.num;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.assertj.core.api.AbstractAssert;
import org.slt4j.symmetry.LayerSymmetry;

/**
 * Assertions on one layer of a symmetry snapshot; obtain with {@link SymmetrySnapshotAssert#layer(String)} or
 * {@link SltAssertions#assertThat(LayerSymmetry)}. Failure messages show the layer's other metrics too, so a
 * failure explains itself.
 */
public final class LayerSymmetryAssert extends AbstractAssert<LayerSymmetryAssert, LayerSymmetry> {

    LayerSymmetryAssert(LayerSymmetry actual) {
        super(actual, LayerSymmetryAssert.class);
    }

    /** Checks that the fraction of dead units is below a bound (strictly). */
    public LayerSymmetryAssert hasDeadFractionBelow(double bound) {
        isNotNull();
        if (!(actual.deadFraction() < bound)) {
            fail("dead fraction below " + num(bound), num(actual.deadFraction()) + " (dead units "
                    + Arrays.toString(actual.deadUnits()) + ")");
        }
        return this;
    }

    /** Checks that the layer has no duplicate units. */
    public LayerSymmetryAssert hasNoDuplicateUnits() {
        isNotNull();
        if (!actual.duplicateClusters().isEmpty()) {
            fail("no duplicate units", "clusters " + actual.duplicateClusters().stream().map(Arrays::toString)
                    .toList());
        }
        return this;
    }

    /** Checks the effective width (units left after removing dead/zero units and merging duplicates). */
    public LayerSymmetryAssert hasEffectiveWidthWithin(int lo, int hi) {
        return within("effective width", LayerSymmetry::effectiveWidth, lo, hi);
    }

    /** Checks the numerical rank of the weight matrix (fails when the spectrum was not computed). */
    public LayerSymmetryAssert hasNumericalRankWithin(int lo, int hi) {
        return within("numerical rank", l -> l.numericalRank() < 0 ? Double.NaN : l.numericalRank(), lo, hi);
    }

    /** Checks the effective rank exp(entropy of normalized singular values). */
    public LayerSymmetryAssert hasEffectiveRankWithin(double lo, double hi) {
        return within("effective rank", LayerSymmetry::effectiveRank, lo, hi);
    }

    /** Checks the stable rank ||W||_F^2 / sigma_max^2. */
    public LayerSymmetryAssert hasStableRankWithin(double lo, double hi) {
        return within("stable rank", LayerSymmetry::stableRank, lo, hi);
    }

    private LayerSymmetryAssert within(String metric, ToDoubleFunction<LayerSymmetry> of, double lo, double hi) {
        isNotNull();
        double value = of.applyAsDouble(actual);
        if (!(value >= lo && value <= hi)) {
            fail(metric + " within [" + num(lo) + ", " + num(hi) + "]",
                    Double.isNaN(value) ? "not computed (NaN)" : num(value));
        }
        return this;
    }

    private void fail(String expectation, String found) {
        failWithMessage("%s", "Expecting layer " + actual.layerName() + " to have " + expectation
                + System.lineSeparator() + "but found: " + found + System.lineSeparator() + "layer: " + actual);
    }
}
