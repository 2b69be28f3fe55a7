package org.slt4j.llc;

import com.google.common.base.MoreObjects;
import java.util.Optional;

/**
 * The outcome of one SGLD chain. Immutable; arrays are copied on the way in and out.
 */
public final class ChainResult {
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

    ChainResult(int index, long seed, double llc, int draws, long steps, double meanLoss, double meanBaselineLoss,
            double fractionBelowBaseline, double effectiveSampleSize, String divergence, double[] lossTrace,
            double[] baselineTrace) {
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
    public String toString() {
        return MoreObjects.toStringHelper("ChainResult").add("index", index).add("llc", llc).add("draws", draws)
                .add("ess", effectiveSampleSize).add("diverged", divergence).omitNullValues().toString();
    }
}
