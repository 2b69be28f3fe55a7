package org.slt4j.report;

import java.util.function.ToDoubleFunction;
import org.slt4j.symmetry.LayerSymmetry;

/** Per-layer symmetry metrics that {@link RunHistory#layer(String, LayerMetric)} turns into series. */
public enum LayerMetric {
    /** {@link LayerSymmetry#effectiveWidth()}. */
    EFFECTIVE_WIDTH("effective width (units)", LayerSymmetry::effectiveWidth),
    /** {@link LayerSymmetry#deadFraction()}. */
    DEAD_FRACTION("fraction of dead units", LayerSymmetry::deadFraction),
    /** {@link LayerSymmetry#alwaysActiveFraction()}. */
    ALWAYS_ACTIVE_FRACTION("fraction of always-active units", LayerSymmetry::alwaysActiveFraction),
    /** {@link LayerSymmetry#duplicateFraction()}. */
    DUPLICATE_FRACTION("fraction of duplicate units", LayerSymmetry::duplicateFraction),
    /** {@link LayerSymmetry#numericalRank()}; NaN where the spectrum was not computed. */
    NUMERICAL_RANK("numerical rank", l -> l.numericalRank() < 0 ? Double.NaN : l.numericalRank()),
    /** {@link LayerSymmetry#effectiveRank()}. */
    EFFECTIVE_RANK("effective rank", LayerSymmetry::effectiveRank),
    /** {@link LayerSymmetry#stableRank()}. */
    STABLE_RANK("stable rank", LayerSymmetry::stableRank),
    /** {@link LayerSymmetry#removableDirections()}. */
    REMOVABLE_DIRECTIONS("removable directions", LayerSymmetry::removableDirections),
    /** {@link LayerSymmetry#rescalingBalanceMaxAbs()}. */
    RESCALING_BALANCE_MAX_ABS("largest rescaling imbalance", LayerSymmetry::rescalingBalanceMaxAbs);

    private final String label;
    private final ToDoubleFunction<LayerSymmetry> extractor;

    LayerMetric(String label, ToDoubleFunction<LayerSymmetry> extractor) {
        this.label = label;
        this.extractor = extractor;
    }

    /** A readable name for headings and axes, e.g. "fraction of dead units". */
    public String label() {
        return label;
    }

    /** This metric's value for one layer of one scan. */
    public double of(LayerSymmetry layer) {
        return extractor.applyAsDouble(layer);
    }
}
