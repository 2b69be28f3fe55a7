package org.slt4j.report;

import java.util.function.ToDoubleFunction;
import org.slt4j.symmetry.LayerSymmetry;

/** Per-layer symmetry metrics that {@link RunHistory#layer(String, LayerMetric)} turns into series. */
public enum LayerMetric {
    /** {@link LayerSymmetry#effectiveWidth()}. */
    EFFECTIVE_WIDTH(LayerSymmetry::effectiveWidth),
    /** {@link LayerSymmetry#deadFraction()}. */
    DEAD_FRACTION(LayerSymmetry::deadFraction),
    /** {@link LayerSymmetry#alwaysActiveFraction()}. */
    ALWAYS_ACTIVE_FRACTION(LayerSymmetry::alwaysActiveFraction),
    /** {@link LayerSymmetry#duplicateFraction()}. */
    DUPLICATE_FRACTION(LayerSymmetry::duplicateFraction),
    /** {@link LayerSymmetry#numericalRank()}; NaN where the spectrum was not computed. */
    NUMERICAL_RANK(l -> l.numericalRank() < 0 ? Double.NaN : l.numericalRank()),
    /** {@link LayerSymmetry#effectiveRank()}. */
    EFFECTIVE_RANK(LayerSymmetry::effectiveRank),
    /** {@link LayerSymmetry#stableRank()}. */
    STABLE_RANK(LayerSymmetry::stableRank),
    /** {@link LayerSymmetry#removableDirections()}. */
    REMOVABLE_DIRECTIONS(LayerSymmetry::removableDirections),
    /** {@link LayerSymmetry#rescalingBalanceMaxAbs()}. */
    RESCALING_BALANCE_MAX_ABS(LayerSymmetry::rescalingBalanceMaxAbs);

    private final ToDoubleFunction<LayerSymmetry> extractor;

    LayerMetric(ToDoubleFunction<LayerSymmetry> extractor) {
        this.extractor = extractor;
    }

    /** This metric's value for one layer of one scan. */
    public double of(LayerSymmetry layer) {
        return extractor.applyAsDouble(layer);
    }
}
