package org.slt4j.llc;

import com.google.common.base.Preconditions;
import com.google.common.base.MoreObjects;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Every setting of an LLC estimate. Immutable; build with {@link Builder#Builder() new LlcConfig.Builder()}, which
 * validates at {@link Builder#build()} and fails with an {@link IllegalArgumentException} naming the setting, the
 * rule and the value.
 *
 * <p>The SGLD update for chain state w, centre w*, minibatch B is
 * <pre>
 *   w &lt;- w - (eps/2) [ nBeta * grad L_B(w) + gamma (w - w*) + weightDecay * w ] + sqrt(eps) N(0, I)
 * </pre>
 * and a chain's estimate is nBeta * mean over draws of (L_B(w_t) - baseline). Every chain first runs
 * {@code burnInSteps} unrecorded steps, then records {@code draws} draws, one every {@code stepsBetweenDraws}
 * steps.
 *
 * <p><b>Automatic settings.</b> The step size, the localization, the burn-in and the draws are {@link Setting
 * automatic} unless set: the estimator then chooses them for the surface at hand (see {@link LlcEstimator}), and
 * the estimate's {@link LlcEstimate#config() config} holds the values it chose. A value that is set is used
 * exactly. An automatic burn-in lasts until the chains' loss traces are stationary, and with automatic draws and
 * the SGLD sampler it then grows with the draws so that it is at least half their length (the earliest draws become
 * burn-in); automatic draws continue until the standard error is at most {@link #targetRelativeError()} of the
 * estimate (with split R-hat at most 1.1) or a chain reaches {@link #maxStepsPerChain()} steps.
 *
 * <p>Serializable, so that a configuration travels with a {@link ChainPlan} to wherever its chain runs.
 */
public final class LlcConfig implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final double nBeta;
    private final long trainingSetSize;
    private final Double stepSize;
    private final Double localization;
    private final double weightDecay;
    private final int chains;
    private final Integer burnInSteps;
    private final Integer draws;
    private final double targetRelativeError;
    private final long maxStepsPerChain;
    private final Duration timeLimit;
    private final int stepsBetweenDraws;
    private final int batchSize;
    private final long seed;
    private final int threads;
    private final Baseline baseline;
    private final Sampler sampler;
    private final boolean keepTraces;

    private LlcConfig(Builder b, double nBeta) {
        this.nBeta = nBeta;
        this.trainingSetSize = b.trainingSetSize;
        this.stepSize = b.stepSize;
        this.localization = b.localization;
        this.weightDecay = b.weightDecay;
        this.chains = b.chains;
        this.burnInSteps = b.burnInSteps;
        this.draws = b.draws;
        this.targetRelativeError = b.targetRelativeError;
        this.maxStepsPerChain = b.maxStepsPerChain;
        this.timeLimit = b.timeLimit;
        this.stepsBetweenDraws = b.stepsBetweenDraws;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.threads = b.threads != null ? b.threads
                : Math.max(1, Math.min(b.chains, Runtime.getRuntime().availableProcessors()));
        this.baseline = b.baseline;
        this.sampler = b.sampler;
        this.keepTraces = b.keepTraces;
    }

    /** A builder initialised with this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        if (trainingSetSize > 0) {
            b.trainingSetSize(trainingSetSize);
        } else {
            b.nBeta(nBeta);
        }
        b.stepSize = stepSize;
        b.localization = localization;
        b.burnInSteps = burnInSteps;
        b.draws = draws;
        b.timeLimit = timeLimit;
        return b.weightDecay(weightDecay).chains(chains).targetRelativeError(targetRelativeError)
                .maxStepsPerChain(maxStepsPerChain).stepsBetweenDraws(stepsBetweenDraws).batchSize(batchSize)
                .seed(seed).threads(threads).baseline(baseline).sampler(sampler).keepTraces(keepTraces);
    }

    /** The settings the estimator chooses itself when they are not set. */
    public enum Setting {
        /** The SGLD step size eps. */
        STEP_SIZE,
        /** The localization gamma. */
        LOCALIZATION,
        /** The unrecorded steps at the start of every chain. */
        BURN_IN_STEPS,
        /** The recorded draws per chain. */
        DRAWS
    }

    /** The settings left automatic (not set); empty for a fully specified configuration. */
    public Set<Setting> automatic() {
        Set<Setting> automatic = EnumSet.noneOf(Setting.class);
        if (stepSize == null) {
            automatic.add(Setting.STEP_SIZE);
        }
        if (localization == null) {
            automatic.add(Setting.LOCALIZATION);
        }
        if (burnInSteps == null) {
            automatic.add(Setting.BURN_IN_STEPS);
        }
        if (draws == null) {
            automatic.add(Setting.DRAWS);
        }
        return Set.copyOf(automatic);
    }

    /** The inverse temperature times n: set explicitly, or n / ln(n) from the training-set size n. */
    public double nBeta() {
        return nBeta;
    }

    /** The training-set size n that nBeta was derived from; empty when nBeta was set explicitly. */
    public OptionalLong trainingSetSize() {
        return trainingSetSize > 0 ? OptionalLong.of(trainingSetSize) : OptionalLong.empty();
    }

    /** SGLD step size eps; empty when automatic. */
    public OptionalDouble stepSize() {
        return stepSize == null ? OptionalDouble.empty() : OptionalDouble.of(stepSize);
    }

    /** Localization strength gamma (0: no localization); empty when automatic. */
    public OptionalDouble localization() {
        return localization == null ? OptionalDouble.empty() : OptionalDouble.of(localization);
    }

    /** Weight decay applied inside the sampler (not the network's own regularization, which is ignored). */
    public double weightDecay() {
        return weightDecay;
    }

    /** Number of independent chains. */
    public int chains() {
        return chains;
    }

    /** Unrecorded steps at the start of every chain; empty when automatic (until the traces are stationary). */
    public OptionalInt burnInSteps() {
        return burnInSteps == null ? OptionalInt.empty() : OptionalInt.of(burnInSteps);
    }

    /** Recorded draws per chain; empty when automatic (until the target standard error or the step cap). */
    public OptionalInt draws() {
        return draws == null ? OptionalInt.empty() : OptionalInt.of(draws);
    }

    /** The standard error, relative to the estimate, at which automatic draws stop. */
    public double targetRelativeError() {
        return targetRelativeError;
    }

    /** The most SGLD steps a chain takes when its burn-in or draws are automatic. */
    public long maxStepsPerChain() {
        return maxStepsPerChain;
    }

    /**
     * The wall-clock time after which automatic draws stop, and a calibration's sweep too; empty (the default) for
     * none. It counts from the start of {@link LlcEstimator#estimate(org.slt4j.surface.LossSurface)} (calibration
     * included) or of {@link LlcEstimator#calibrate}; a round of draws is shortened to what the time left allows,
     * but a burn-in is not cut. An estimate that a time limit ended depends on the machine's speed and is marked
     * not reproducible; a calibration it ended uses its fallback ({@link LlcCalibrator}), and estimates with it are
     * flagged.
     */
    public Optional<Duration> timeLimit() {
        return Optional.ofNullable(timeLimit);
    }

    /** SGLD steps from one recorded draw to the next (thinning); 1 records every step after burn-in. */
    public int stepsBetweenDraws() {
        return stepsBetweenDraws;
    }

    /** Minibatch size; a value at least the data size means full-batch (deterministic gradient) sampling. */
    public int batchSize() {
        return batchSize;
    }

    /** Seed of all random streams (minibatch order and noise); each chain derives its own from it. */
    public long seed() {
        return seed;
    }

    /** Threads the chains run on (results do not depend on it). */
    public int threads() {
        return threads;
    }

    /** How the loss at the centre is measured. */
    public Baseline baseline() {
        return baseline;
    }

    /** The Langevin update rule. */
    public Sampler sampler() {
        return sampler;
    }

    /** Whether results keep each chain's per-draw loss trace. */
    public boolean keepTraces() {
        return keepTraces;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LlcConfig)) {
            return false;
        }
        LlcConfig c = (LlcConfig) o;
        return Double.compare(nBeta, c.nBeta) == 0 && trainingSetSize == c.trainingSetSize
                && Objects.equals(stepSize, c.stepSize) && Objects.equals(localization, c.localization)
                && Double.compare(weightDecay, c.weightDecay) == 0 && chains == c.chains
                && Objects.equals(burnInSteps, c.burnInSteps) && Objects.equals(draws, c.draws)
                && Double.compare(targetRelativeError, c.targetRelativeError) == 0
                && maxStepsPerChain == c.maxStepsPerChain && Objects.equals(timeLimit, c.timeLimit)
                && stepsBetweenDraws == c.stepsBetweenDraws
                && batchSize == c.batchSize && seed == c.seed && threads == c.threads && baseline == c.baseline
                && sampler == c.sampler && keepTraces == c.keepTraces;
    }

    @Override
    public int hashCode() {
        return Objects.hash(nBeta, trainingSetSize, stepSize, localization, weightDecay, chains, burnInSteps, draws,
                targetRelativeError, maxStepsPerChain, timeLimit, stepsBetweenDraws, batchSize, seed, threads, baseline, sampler, keepTraces);
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper("LlcConfig").add("nBeta", nBeta)
                .add("trainingSetSize", trainingSetSize > 0 ? trainingSetSize : null).omitNullValues()
                .add("stepSize", auto(stepSize)).add("localization", auto(localization))
                .add("weightDecay", weightDecay).add("chains", chains).add("burnInSteps", auto(burnInSteps))
                .add("draws", auto(draws)).add("targetRelativeError", targetRelativeError)
                .add("maxStepsPerChain", maxStepsPerChain).add("timeLimit", timeLimit)
                .add("stepsBetweenDraws", stepsBetweenDraws).add("batchSize", batchSize).add("seed", seed)
                .add("threads", threads).add("baseline", baseline).add("sampler", sampler).toString();
    }

    private static Object auto(Object value) {
        return value == null ? "auto" : value;
    }

    /** Builder for {@link LlcConfig}; not thread-safe. Defaults are listed on each setter. */
    public static final class Builder {
        private double nBeta = Double.NaN;
        private long trainingSetSize;
        private Double stepSize;
        private Double localization;
        private double weightDecay;
        private int chains = 4;
        private Integer burnInSteps;
        private Integer draws;
        private double targetRelativeError = 0.02;
        private long maxStepsPerChain = 40_000;
        private Duration timeLimit;
        private int stepsBetweenDraws = 1;
        private int batchSize = 256;
        private long seed = 42;
        private Integer threads;
        private Baseline baseline = Baseline.PAIRED;
        private Sampler sampler = Sampler.LEIMKUHLER_MATTHEWS;
        private boolean keepTraces = true;

        /** A builder with the documented defaults; either the training-set size or nBeta must be set. */
        public Builder() {
        }

        /**
         * The number n of examples the model was trained on; sets nBeta = n / ln(n) (Watanabe's WBIC
         * temperature). This is the training-set size, not the size of the data given to the estimator. For
         * recurrent networks n counts sequences, not time steps: DL4J's loss averages over sequences.
         */
        public Builder trainingSetSize(long n) {
            this.trainingSetSize = n;
            this.nBeta = Double.NaN;
            return this;
        }

        /** Sets nBeta explicitly (overrides {@link #trainingSetSize(long)}). */
        public Builder nBeta(double nBeta) {
            this.nBeta = nBeta;
            this.trainingSetSize = 0;
            return this;
        }

        /** SGLD step size eps &gt; 0 (default: automatic). */
        public Builder stepSize(double eps) {
            this.stepSize = eps;
            return this;
        }

        /** Localization gamma &gt;= 0 (default: automatic). */
        public Builder localization(double gamma) {
            this.localization = gamma;
            return this;
        }

        /** Weight decay inside the sampler, &gt;= 0 (default 0). */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Number of chains &gt;= 1 (default 4; at least 2 are needed for a standard error and R-hat). */
        public Builder chains(int chains) {
            this.chains = chains;
            return this;
        }

        /** Unrecorded steps per chain, &gt;= 0 (default: automatic, until the loss traces are stationary). */
        public Builder burnInSteps(int steps) {
            this.burnInSteps = steps;
            return this;
        }

        /**
         * Recorded draws per chain, &gt;= 1 (default: automatic, until the standard error reaches {@link
         * #targetRelativeError(double)} or a chain reaches {@link #maxStepsPerChain(long)}).
         */
        public Builder draws(int draws) {
            this.draws = draws;
            return this;
        }

        /** Makes the given settings automatic again (the default for each). */
        public Builder automatic(Setting... settings) {
            for (Setting setting : settings) {
                switch (Objects.requireNonNull(setting, "setting")) {
                    case STEP_SIZE -> stepSize = null;
                    case LOCALIZATION -> localization = null;
                    case BURN_IN_STEPS -> burnInSteps = null;
                    case DRAWS -> draws = null;
                    default -> throw new AssertionError(setting);
                }
            }
            return this;
        }

        /** Standard error relative to the estimate at which automatic draws stop, in (0, 1) (default 0.02). */
        public Builder targetRelativeError(double target) {
            this.targetRelativeError = target;
            return this;
        }

        /**
         * Most SGLD steps per chain with automatic burn-in or draws, &gt;= 100 (default 40,000). With a set burn-in
         * and automatic draws it must leave room for a draw: burnInSteps + stepsBetweenDraws &lt;= maxStepsPerChain.
         */
        public Builder maxStepsPerChain(long steps) {
            this.maxStepsPerChain = steps;
            return this;
        }

        /**
         * Stops automatic draws, and a calibration's sweep, after this wall-clock time (default: none; see
         * {@link LlcConfig#timeLimit()}). Opt-in only: an estimate the limit ended depends on the machine's speed,
         * and it is marked not reproducible.
         */
        public Builder timeLimit(Duration limit) {
            this.timeLimit = limit;
            return this;
        }

        /** Steps between recorded draws, &gt;= 1 (default 1). */
        public Builder stepsBetweenDraws(int steps) {
            this.stepsBetweenDraws = steps;
            return this;
        }

        /** Minibatch size &gt;= 1 (default 256; see docs/trusting-the-llc.md for why). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Seed of all random streams (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Threads for the chains, &gt;= 1 (default: min(chains, available processors)). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Baseline (default {@link Baseline#PAIRED}). */
        public Builder baseline(Baseline baseline) {
            this.baseline = baseline;
            return this;
        }

        /** Langevin update rule (default {@link Sampler#LEIMKUHLER_MATTHEWS}). */
        public Builder sampler(Sampler sampler) {
            this.sampler = sampler;
            return this;
        }

        /** Whether results keep per-draw loss traces (default true). */
        public Builder keepTraces(boolean keepTraces) {
            this.keepTraces = keepTraces;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid setting, its rule and its value
         */
        public LlcConfig build() {
            double resolved = nBeta;
            if (Double.isNaN(nBeta)) {
                Preconditions.checkArgument(trainingSetSize != 0, "trainingSetSize (or nBeta) must be set (got: neither)");
                Preconditions.checkArgument(trainingSetSize >= 2, "trainingSetSize must be >= 2 (got: %s)", trainingSetSize);
                resolved = trainingSetSize / Math.log(trainingSetSize);
            }
            Preconditions.checkArgument(Double.isFinite(resolved) && resolved > 0, "nBeta must be finite and > 0 (got: %s)", resolved);
            Preconditions.checkArgument(stepSize == null || Double.isFinite(stepSize) && stepSize > 0,
                    "stepSize must be finite and > 0 (got: %s)", stepSize);
            Preconditions.checkArgument(localization == null || Double.isFinite(localization) && localization >= 0,
                    "localization must be finite and >= 0 (got: %s)", localization);
            Preconditions.checkArgument(Double.isFinite(weightDecay) && weightDecay >= 0,
                    "weightDecay must be finite and >= 0 (got: %s)", weightDecay);
            Preconditions.checkArgument(chains >= 1, "chains must be >= 1 (got: %s)", chains);
            Preconditions.checkArgument(burnInSteps == null || burnInSteps >= 0, "burnInSteps must be >= 0 (got: %s)",
                    burnInSteps);
            Preconditions.checkArgument(draws == null || draws >= 1, "draws must be >= 1 (got: %s)", draws);
            Preconditions.checkArgument(targetRelativeError > 0 && targetRelativeError < 1,
                    "targetRelativeError must be in (0, 1) (got: %s)", targetRelativeError);
            Preconditions.checkArgument(maxStepsPerChain >= 100, "maxStepsPerChain must be >= 100 (got: %s)",
                    maxStepsPerChain);
            Preconditions.checkArgument(timeLimit == null || !timeLimit.isNegative() && !timeLimit.isZero(),
                    "timeLimit must be positive (got: %s)", timeLimit);
            Preconditions.checkArgument(stepsBetweenDraws >= 1, "stepsBetweenDraws must be >= 1 (got: %s)", stepsBetweenDraws);
            // Otherwise automatic draws would record nothing, and the resolved config could not reproduce that.
            Preconditions.checkArgument(draws != null || burnInSteps == null
                    || (long) burnInSteps + stepsBetweenDraws <= maxStepsPerChain,
                    "burnInSteps + stepsBetweenDraws must be <= maxStepsPerChain when draws are automatic "
                            + "(got: %s + %s > %s)", burnInSteps, stepsBetweenDraws, maxStepsPerChain);
            Preconditions.checkArgument(batchSize >= 1, "batchSize must be >= 1 (got: %s)", batchSize);
            Preconditions.checkArgument(threads == null || threads >= 1, "threads must be >= 1 (got: %s)", threads);
            Preconditions.checkArgument(baseline != null, "baseline must not be null");
            Preconditions.checkArgument(sampler != null, "sampler must not be null");
            return new LlcConfig(this, resolved);
        }

    }
}
