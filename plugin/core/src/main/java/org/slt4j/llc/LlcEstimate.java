package org.slt4j.llc;

import com.google.common.base.MoreObjects;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The result of an LLC estimate: the value with its uncertainty, every chain, the diagnostics, and the exact
 * configuration and seed that produced it. Immutable.
 *
 * <p>Diverged chains are excluded from {@link #mean()}, {@link #std()} and {@link #standardError()}; when every
 * chain diverged these are NaN and {@link #warnings()} says so. Estimates never throw because a chain failed.
 *
 * <p>Two estimates are equal when every value is (doubles compared as {@link Double#compare}, so NaN equals NaN):
 * an estimate read back from its stored JSON equals the one that was written.
 */
public final class LlcEstimate {
    private final LlcConfig config;
    private final long dimension;
    private final int dataSize;
    private final double baselineLoss;
    private final List<ChainResult> chains;
    private final double mean;
    private final double std;
    private final double standardError;
    private final double rHat;
    private final double effectiveSampleSize;
    private final double fractionBelowBaseline;
    private final Duration wallTime;
    private final List<String> warnings;
    private final Tuning tuning;

    private LlcEstimate(LlcConfig config, long dimension, int dataSize, double baselineLoss, List<ChainResult> chains,
            double mean, double std, double standardError, double rHat, double effectiveSampleSize,
            double fractionBelowBaseline, Duration wallTime, List<String> warnings, Tuning tuning) {
        this.config = Objects.requireNonNull(config, "config");
        this.dimension = dimension;
        this.dataSize = dataSize;
        this.baselineLoss = baselineLoss;
        this.chains = List.copyOf(chains);
        this.mean = mean;
        this.std = std;
        this.standardError = standardError;
        this.rHat = rHat;
        this.effectiveSampleSize = effectiveSampleSize;
        this.fractionBelowBaseline = fractionBelowBaseline;
        this.wallTime = Objects.requireNonNull(wallTime, "wallTime");
        this.warnings = List.copyOf(warnings);
        this.tuning = Objects.requireNonNull(tuning, "tuning");
    }

    /** Which chain-length rule ended the recorded draws. */
    public enum DrawsStop {
        /** The draws were set: the chains recorded exactly that many. */
        FIXED,
        /** The standard error reached the target fraction of the estimate. */
        TARGET_REACHED,
        /** A chain reached the step cap before the target standard error. */
        STEP_CAP,
        /** The opt-in time limit ran out before the target standard error; the estimate is not reproducible. */
        TIME_LIMIT,
        /**
         * The estimate was more than two standard errors below zero: the centre is no minimum of the sampled loss,
         * and the estimate is flagged as non-positive.
         */
        NEGATIVE
    }

    /**
     * How the estimator chose the settings it was not given.
     *
     * @param automatic   the settings the estimator chose (the rest were set by the user)
     * @param calibration how the step size and localization were chosen; empty when both were set
     * @param burnIn      how the burn-in ended, for example {@code "stationary after 1024 steps"}
     * @param stationary  whether the chains were stationary when the draws began (true for a burn-in that was set)
     * @param drawsStop   what ended the draws
     * @param stepLoad    the step size's load where the chains ended: eps (nBeta h + gamma + weightDecay), with h
     *                    the largest top Hessian eigenvalue of the loss at their final positions; the automatic step
     *                    size is chosen for about 0.05 at the centre, and above {@link Sampler#maxStepLoad()}
     *                    the estimate is flagged. NaN when not measured (a preconditioned sampler, or a record
     *                    written before it was measured)
     */
    public record Tuning(Set<LlcConfig.Setting> automatic, String calibration, String burnIn, boolean stationary,
            DrawsStop drawsStop, double stepLoad) {

        /** The tuning of an estimate whose settings were all given, with the step's load not measured. */
        public static final Tuning FIXED = new Tuning(Set.of(), "", "fixed", true, DrawsStop.FIXED, Double.NaN);

        /** Copies the set; null checks every component. */
        public Tuning {
            automatic = Set.copyOf(automatic);
            Objects.requireNonNull(calibration, "calibration");
            Objects.requireNonNull(burnIn, "burnIn");
            Objects.requireNonNull(drawsStop, "drawsStop");
        }

        /** Whether the same configuration and seed give the same estimate again (false when a time limit ended it). */
        public boolean reproducible() {
            return drawsStop != DrawsStop.TIME_LIMIT;
        }
    }

    /**
     * An estimate with the given values: what {@link LlcEstimator} computed, or what a stored estimate holds (the
     * record readers rebuild estimates with it). The values are taken as given, not checked against each other;
     * {@link #totalSteps()}, {@link #divergedChains()} and {@link #usedChains()} are
     * derived from them.
     *
     * @param config                the configuration, with the seed actually used
     * @param dimension             number of parameters sampled
     * @param dataSize              number of examples the minibatches were drawn from
     * @param baselineLoss          mean loss at the centre over the estimation data
     * @param chains                every chain, diverged ones included, in index order
     * @param mean                  mean of the non-diverged chains' estimates (NaN if all diverged)
     * @param std                   their standard deviation (NaN with fewer than two)
     * @param standardError         standard error of the mean (batch means over every used chain's draws)
     * @param rHat                  split R-hat across the non-diverged chains (NaN when not computable)
     * @param effectiveSampleSize   effective sample size summed over the non-diverged chains
     * @param fractionBelowBaseline fraction of all draws whose loss was below the baseline
     * @param wallTime              wall-clock time of the whole estimate
     * @param warnings              why the estimate cannot be vouched for; empty when it is reliable
     * @param tuning                how the settings were chosen
     * @return the estimate
     * @throws NullPointerException if {@code config}, {@code chains}, {@code wallTime}, {@code warnings} or
     *                              {@code tuning} is null
     */
    public static LlcEstimate of(LlcConfig config, long dimension, int dataSize, double baselineLoss,
            List<ChainResult> chains, double mean, double std, double standardError, double rHat,
            double effectiveSampleSize, double fractionBelowBaseline, Duration wallTime, List<String> warnings,
            Tuning tuning) {
        return new LlcEstimate(config, dimension, dataSize, baselineLoss, chains, mean, std, standardError, rHat,
                effectiveSampleSize, fractionBelowBaseline, wallTime, warnings, tuning);
    }

    /** This estimate without the chains' loss traces (smaller to store); every other value is the same. */
    public LlcEstimate withoutTraces() {
        return new LlcEstimate(config, dimension, dataSize, baselineLoss,
                chains.stream().map(ChainResult::withoutTraces).toList(), mean, std, standardError, rHat,
                effectiveSampleSize, fractionBelowBaseline, wallTime, warnings, tuning);
    }

    /** The LLC estimate: the mean of the non-diverged chains' estimates (NaN if all diverged). */
    public double mean() {
        return mean;
    }

    /** Standard deviation of the non-diverged chains' estimates (NaN with fewer than two). */
    public double std() {
        return std;
    }

    /**
     * Standard error of {@link #mean()}, from batch means: every used chain's draws are cut into consecutive
     * batches, and the spread of the batch means gives the error of their mean. It accounts for autocorrelation
     * within chains and for disagreement between them, and unlike std / sqrt(chains) it is not itself a noisy
     * estimate from a handful of chain means.
     */
    public double standardError() {
        return standardError;
    }

    /** {@link #standardError()} relative to the magnitude of {@link #mean()}. */
    public double relativeStandardError() {
        return standardError / Math.abs(mean);
    }

    /**
     * The configuration and seed that produced this estimate, with every automatic setting resolved to the value
     * the estimator chose: running it again with this configuration gives this estimate again.
     */
    public LlcConfig config() {
        return config;
    }

    /** Number of parameters sampled (d). The LLC of a regular model is d/2. */
    public long dimension() {
        return dimension;
    }

    /** Number of examples the minibatches were drawn from. */
    public int dataSize() {
        return dataSize;
    }

    /** Mean loss at the centre w* over the whole estimation data (L0). */
    public double baselineLoss() {
        return baselineLoss;
    }

    /** Every chain, diverged ones included, in index order. */
    public List<ChainResult> chains() {
        return chains;
    }

    /** Number of chains that diverged (excluded from the estimate). */
    public int divergedChains() {
        return (int) chains.stream().filter(ChainResult::diverged).count();
    }

    /** Number of chains the estimate is made of. */
    public int usedChains() {
        return chains.size() - divergedChains();
    }

    /**
     * Split R-hat across the non-diverged chains of the per-draw estimates; values above ~1.1 mean the chains
     * disagree (not mixed or too short). NaN with fewer than two chains or four draws.
     */
    public double rHat() {
        return rHat;
    }

    /** Effective sample size summed over the non-diverged chains. */
    public double effectiveSampleSize() {
        return effectiveSampleSize;
    }

    /** Fraction of all draws whose loss was below the baseline; large values mean w* is not a local minimum. */
    public double fractionBelowBaseline() {
        return fractionBelowBaseline;
    }

    /** Wall-clock time of the whole estimate. */
    public Duration wallTime() {
        return wallTime;
    }

    /** SGLD steps taken over all chains. */
    public long totalSteps() {
        return chains.stream().mapToLong(ChainResult::steps).sum();
    }

    /**
     * Why the estimate cannot be vouched for, each with what to change: calibration found no plateau, the chains
     * were not stationary after burn-in, the target standard error was not reached, chains diverged, the chains
     * disagree (R-hat above 1.1), the estimate is not positive, or most draws fell below the baseline. Empty when
     * the estimate is {@link #isReliable() reliable}.
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Whether the library vouches for this estimate ({@link #warnings()} is empty). An unreliable estimate is still
     * reported, flagged, with its warnings.
     */
    public boolean isReliable() {
        return warnings.isEmpty();
    }

    /** How the settings were chosen and what ended the chains. */
    public Tuning tuning() {
        return tuning;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LlcEstimate e && config.equals(e.config) && dimension == e.dimension
                && dataSize == e.dataSize && Double.compare(baselineLoss, e.baselineLoss) == 0
                && chains.equals(e.chains) && Double.compare(mean, e.mean) == 0 && Double.compare(std, e.std) == 0
                && Double.compare(standardError, e.standardError) == 0 && tuning.equals(e.tuning)
                && Double.compare(rHat, e.rHat) == 0 && Double.compare(effectiveSampleSize, e.effectiveSampleSize) == 0
                && Double.compare(fractionBelowBaseline, e.fractionBelowBaseline) == 0 && wallTime.equals(e.wallTime)
                && warnings.equals(e.warnings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(config, dimension, dataSize, chains, mean, std, rHat, wallTime);
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper("LlcEstimate").add("mean", mean).add("stderr", standardError())
                .add("std", std).add("chains", chains.size()).add("diverged", divergedChains()).add("rHat", rHat)
                .add("d", dimension).add("reliable", isReliable()).add("config", config).toString();
    }
}
