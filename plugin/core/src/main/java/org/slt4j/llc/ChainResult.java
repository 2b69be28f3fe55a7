package org.slt4j.llc;

import com.google.common.base.MoreObjects;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one SGLD chain. Immutable; arrays are copied on the way in and out. Two results are equal when
 * every value is (doubles compared as {@link Double#compare}, so NaN equals NaN; traces element by element).
 * Serializable, like the {@link ChainProgress} it is made from.
 */
public final class ChainResult implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final long seed;
    private final double llc;
    private final int draws;
    private final long steps;
    private final double meanLoss;
    private final double meanBaselineLoss;
    private final double fractionBelowBaseline;
    private final double effectiveSampleSize;
    private final String divergence;
    private final double[] lossTrace;
    private final double[] baselineTrace;

    private ChainResult(int index, long seed, double llc, int draws, long steps, double meanLoss,
            double meanBaselineLoss, double fractionBelowBaseline, double effectiveSampleSize, String divergence,
            double[] lossTrace, double[] baselineTrace) {
        this.index = index;
        this.seed = seed;
        this.llc = llc;
        this.draws = draws;
        this.steps = steps;
        this.meanLoss = meanLoss;
        this.meanBaselineLoss = meanBaselineLoss;
        this.fractionBelowBaseline = fractionBelowBaseline;
        this.effectiveSampleSize = effectiveSampleSize;
        this.divergence = divergence;
        this.lossTrace = lossTrace.clone();
        this.baselineTrace = baselineTrace.clone();
    }

    /**
     * A chain result with the given values: what a chain computed, or what a stored estimate holds (the record
     * readers rebuild chains with it). The values are taken as given; the traces are copied.
     *
     * @param index                 the chain's index, 0-based
     * @param seed                  the seed its random streams were derived from
     * @param llc                   its LLC estimate (NaN if it diverged before any draw)
     * @param draws                 draws recorded
     * @param steps                 SGLD steps taken
     * @param meanLoss              mean sampled loss over the draws
     * @param meanBaselineLoss      mean baseline loss over the draws
     * @param fractionBelowBaseline fraction of draws whose loss was below the baseline
     * @param effectiveSampleSize   effective sample size of its per-draw estimates (NaN when too few draws)
     * @param divergence            why and where it diverged; null if it did not
     * @param lossTrace             the loss at every draw; empty unless traces are kept
     * @param baselineTrace         the baseline loss at every draw; empty unless traces are kept
     * @return the chain result
     */
    public static ChainResult of(int index, long seed, double llc, int draws, long steps, double meanLoss,
            double meanBaselineLoss, double fractionBelowBaseline, double effectiveSampleSize, String divergence,
            double[] lossTrace, double[] baselineTrace) {
        return new ChainResult(index, seed, llc, draws, steps, meanLoss, meanBaselineLoss, fractionBelowBaseline,
                effectiveSampleSize, divergence, lossTrace, baselineTrace);
    }

    /** This result without its traces. */
    ChainResult withoutTraces() {
        return new ChainResult(index, seed, llc, draws, steps, meanLoss, meanBaselineLoss, fractionBelowBaseline,
                effectiveSampleSize, divergence, new double[0], new double[0]);
    }

    /** The chain's index, 0-based. */
    public int index() {
        return index;
    }

    /** The seed this chain's random streams were derived from. */
    public long seed() {
        return seed;
    }

    /** This chain's LLC estimate: nBeta * mean(L_B(w_t) - baseline); NaN if it diverged before any draw. */
    public double llc() {
        return llc;
    }

    /** Draws recorded (fewer than configured if the chain diverged). */
    public int draws() {
        return draws;
    }

    /** SGLD steps taken. */
    public long steps() {
        return steps;
    }

    /** Mean sampled loss over the draws. */
    public double meanLoss() {
        return meanLoss;
    }

    /** Mean baseline loss (at the centre) over the draws. */
    public double meanBaselineLoss() {
        return meanBaselineLoss;
    }

    /** Fraction of draws whose loss was below the baseline; a large fraction means the centre is no minimum. */
    public double fractionBelowBaseline() {
        return fractionBelowBaseline;
    }

    /**
     * Effective sample size of this chain's per-draw estimates (Geyer's initial monotone sequence estimator);
     * NaN when fewer than 4 draws were recorded.
     */
    public double effectiveSampleSize() {
        return effectiveSampleSize;
    }

    /** Whether the chain diverged (NaN/infinite or exploding loss); diverged chains are excluded. */
    public boolean diverged() {
        return divergence != null;
    }

    /** Why and where the chain diverged, if it did. */
    public Optional<String> divergence() {
        return Optional.ofNullable(divergence);
    }

    /** The loss L_B(w_t) at every draw; empty unless traces are kept. */
    public double[] lossTrace() {
        return lossTrace.clone();
    }

    /** The baseline loss at every draw (PAIRED: L_B(w*) on the same batch); empty unless traces are kept. */
    public double[] baselineTrace() {
        return baselineTrace.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainResult c && index == c.index && seed == c.seed && Double.compare(llc, c.llc) == 0
                && draws == c.draws && steps == c.steps && Double.compare(meanLoss, c.meanLoss) == 0
                && Double.compare(meanBaselineLoss, c.meanBaselineLoss) == 0
                && Double.compare(fractionBelowBaseline, c.fractionBelowBaseline) == 0
                && Double.compare(effectiveSampleSize, c.effectiveSampleSize) == 0
                && Objects.equals(divergence, c.divergence) && Arrays.equals(lossTrace, c.lossTrace)
                && Arrays.equals(baselineTrace, c.baselineTrace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, seed, llc, draws, steps, divergence, Arrays.hashCode(lossTrace),
                Arrays.hashCode(baselineTrace));
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper("ChainResult").add("index", index).add("llc", llc).add("draws", draws)
                .add("ess", effectiveSampleSize).add("diverged", divergence).omitNullValues().toString();
    }
}
