package org.slt4j.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slt4j.llc.ChainResult;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;

/**
 * One LLC estimate made during training: the numbers of an {@link LlcEstimate}, per chain, with the
 * configuration (and seed) that produced it, stamped with the iteration of the parameters it was made at.
 *
 * @param iteration             the iteration of the parameter snapshot
 * @param epoch                 its epoch
 * @param timestamp             when the estimate finished
 * @param mean                  the estimate (mean over non-diverged chains; NaN if all diverged)
 * @param std                   standard deviation over non-diverged chains (NaN with fewer than two)
 * @param standardError         standard error of the mean
 * @param rHat                  split R-hat across chains (NaN when not computable)
 * @param effectiveSampleSize   effective sample size summed over non-diverged chains
 * @param fractionBelowBaseline fraction of draws whose loss was below the baseline
 * @param baselineLoss          mean loss at the centre over the estimation data
 * @param dimension             number of parameters sampled
 * @param dataSize              number of examples the minibatches were drawn from
 * @param totalSteps            SGLD steps over all chains
 * @param wallTime              wall-clock time of the estimate
 * @param warnings              the estimate's warnings (diverged chains, negative estimate, poor mixing)
 * @param config                the configuration, with the seed actually used
 * @param chains                every chain, diverged ones included
 * @param layer                 the layer whose parameters alone were sampled (a restricted, per-layer LLC; the
 *                              other parameters held at the snapshot), or null for the whole network
 */
public record LlcRecord(long iteration, int epoch, Instant timestamp, double mean, double std, double standardError,
                        double rHat, double effectiveSampleSize, double fractionBelowBaseline, double baselineLoss,
                        long dimension, int dataSize, long totalSteps, Duration wallTime, List<String> warnings,
                        LlcConfig config, List<Chain> chains, String layer) implements TrainingRecord {

    /** Checks the fields and copies the lists. */
    public LlcRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(wallTime, "wallTime");
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
        chains = List.copyOf(chains);
    }

    /**
     * The record of an estimate made at the given iteration.
     *
     * @param estimate  the estimate
     * @param iteration the iteration of the parameters it was made at
     * @param epoch     its epoch
     * @param timestamp when it finished
     * @return the record, with the chains' loss traces when the estimate kept them
     */
    public static LlcRecord of(LlcEstimate estimate, long iteration, int epoch, Instant timestamp) {
        return of(estimate, null, iteration, epoch, timestamp);
    }

    /**
     * The record of a restricted estimate of one layer's parameters (or of the whole network when
     * {@code layer} is null) made at the given iteration.
     */
    public static LlcRecord of(LlcEstimate estimate, String layer, long iteration, int epoch, Instant timestamp) {
        List<Chain> chains = estimate.chains().stream().map(Chain::of).toList();
        return new LlcRecord(iteration, epoch, timestamp, estimate.mean(), estimate.std(), estimate.standardError(),
                estimate.rHat(), estimate.effectiveSampleSize(), estimate.fractionBelowBaseline(),
                estimate.baselineLoss(), estimate.dimension(), estimate.dataSize(), estimate.totalSteps(),
                estimate.wallTime(), estimate.warnings(), estimate.config(), chains, layer);
    }

    /** Whether this is an estimate of the whole network (not a per-layer one). */
    public boolean isWholeNetwork() {
        return layer == null;
    }

    /** This record without the chains' loss traces (smaller to store). */
    public LlcRecord withoutTraces() {
        return new LlcRecord(iteration, epoch, timestamp, mean, std, standardError, rHat, effectiveSampleSize,
                fractionBelowBaseline, baselineLoss, dimension, dataSize, totalSteps, wallTime, warnings, config,
                chains.stream().map(Chain::withoutTraces).toList(), layer);
    }

    /** Number of chains that diverged (excluded from the estimate). */
    public int divergedChains() {
        return (int) chains.stream().filter(Chain::diverged).count();
    }

    @Override
    public RecordType type() {
        return RecordType.LLC;
    }

    /**
     * One SGLD chain of an estimate (see {@link ChainResult}). Arrays are copied in and out.
     *
     * @param index                 the chain's index, 0-based
     * @param seed                  the seed its random streams were derived from
     * @param llc                   its LLC estimate (NaN if it diverged before any draw)
     * @param draws                 draws recorded
     * @param steps                 SGLD steps taken
     * @param meanLoss              mean sampled loss over the draws
     * @param meanBaselineLoss      mean baseline loss over the draws
     * @param fractionBelowBaseline fraction of draws below the baseline
     * @param effectiveSampleSize   effective sample size of its per-draw estimates (NaN when too few draws)
     * @param divergence            why and where it diverged; null if it did not
     * @param lossTrace             the loss at every draw; empty unless traces were kept
     * @param baselineTrace         the baseline at every draw; empty unless traces were kept
     */
    public record Chain(int index, long seed, double llc, int draws, long steps, double meanLoss,
                        double meanBaselineLoss, double fractionBelowBaseline, double effectiveSampleSize,
                        String divergence, double[] lossTrace, double[] baselineTrace) {

        /** Copies the traces. */
        public Chain {
            lossTrace = lossTrace.clone();
            baselineTrace = baselineTrace.clone();
        }

        /** The chain record of a chain result. */
        public static Chain of(ChainResult c) {
            return new Chain(c.index(), c.seed(), c.llc(), c.draws(), c.steps(), c.meanLoss(), c.meanBaselineLoss(),
                    c.fractionBelowBaseline(), c.effectiveSampleSize(), c.divergence().orElse(null), c.lossTrace(),
                    c.baselineTrace());
        }

        /** Whether the chain diverged. */
        public boolean diverged() {
            return divergence != null;
        }

        /** The loss at every draw (a copy). */
        @Override
        public double[] lossTrace() {
            return lossTrace.clone();
        }

        /** The baseline at every draw (a copy). */
        @Override
        public double[] baselineTrace() {
            return baselineTrace.clone();
        }

        Chain withoutTraces() {
            return new Chain(index, seed, llc, draws, steps, meanLoss, meanBaselineLoss, fractionBelowBaseline,
                    effectiveSampleSize, divergence, new double[0], new double[0]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Chain c && index == c.index && seed == c.seed && Double.compare(llc, c.llc) == 0
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
            return "Chain{index=" + index + ", llc=" + llc + ", draws=" + draws + ", ess=" + effectiveSampleSize
                    + (divergence == null ? "" : ", divergence=" + divergence) + "}";
        }
    }
}
