package org.slt4j.llc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slt4j.platform.BlasDiagnostics;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;

/**
 * Estimates the local learning coefficient at the centre of a loss surface with SGLD chains (see
 * {@link LlcConfig} for the update rule and every setting).
 *
 * <p>Chains run in parallel on {@link LlcConfig#threads()} threads, each with its own copy of the model and its
 * own random streams derived from the seed, so the result for a given configuration and data does not depend
 * on the thread count. Diverged chains are stopped, excluded and reported in the result, never thrown; the
 * result's {@link LlcEstimate#warnings()} say what to look at (they are logged at DEBUG only, since listeners
 * record them with every estimate).
 * Instances are immutable and thread-safe.
 */
public final class LlcEstimator {
    private static final Logger log = LoggerFactory.getLogger(LlcEstimator.class);

    /** Split R-hat above this means the chains disagree; automatic draws continue until it is reached. */
    static final double MAX_R_HAT = 1.1;
    /**
     * The shortest burn-in, as a fraction of 1 / (eps gamma), that an estimate at calibrated settings is vouched for
     * with. The automatic grid makes 1 / (eps gamma) about 20,000, 40,000, 80,000 or 160,000 steps, so the default
     * step cap covers a half or a quarter of the last two. On the exact-value suite (docs/accuracy.md, with a load
     * bound of 1.0) the estimates whose burn-in covered half were within 3.3% of lambda; one that covered a quarter
     * came out 6.9% low.
     */
    static final double MIN_VALLEY_FRACTION = 1.0 / 3;
    /**
     * Re-estimates at smaller steps after the long chains at a calibrated step diverged or went where its load is
     * above the bound. On the exact-value suite's deep linear network 2-4-4-3 of rank 2 (docs/accuracy.md, #23) one
     * of four chains diverged at the plateau's step and, with some estimator seeds, at its next smaller one too.
     */
    static final int MAX_RETRIES = 2;
    /** The most a retry raises the step cap by. */
    static final double MAX_RETRY_CAP_SCALE = 2;
    /** The fewest draws per chain of a first round that a time limit shortens: two per batch of the batch means. */
    static final int FEWEST_TIMED_DRAWS = 2 * Chains.BATCHES_PER_CHAIN;
    /** Steps {@link #stepTime} runs before it times any. */
    private static final int WARM_UP_STEPS = 8;
    /** Steps {@link #stepTime} times; the fastest counts. */
    private static final int TIMED_STEPS = 5;

    private final LlcConfig config;
    private final UnaryOperator<LlcCalibrator.Builder> calibration;
    /** Runs the chains elsewhere; null to run them on this JVM's threads. */
    private final ChainRunner runner;

    /** An estimator with the given configuration; automatic step size and localization use the default calibrator. */
    public LlcEstimator(LlcConfig config) {
        this(config, UnaryOperator.identity());
    }

    /**
     * An estimator whose chains, and those of its calibration, are run by the runner (on other machines, for
     * instance) instead of on {@link LlcConfig#threads()} threads here. The estimates are the same, bit for bit:
     * the rounds are decided here from the chains' pooled progress ({@link ChainRunner}). The centre's loss and
     * the calibration's curvature are still computed here, on the surface.
     */
    public LlcEstimator(LlcConfig config, UnaryOperator<LlcCalibrator.Builder> calibration, ChainRunner runner) {
        this.config = Objects.requireNonNull(config, "config");
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        this.runner = Objects.requireNonNull(runner, "runner");
        BlasDiagnostics.checkOnce();
    }

    /**
     * An estimator with the given configuration whose calibrator (used when the step size or localization is
     * automatic) has the given settings.
     */
    public LlcEstimator(LlcConfig config, UnaryOperator<LlcCalibrator.Builder> calibration) {
        this.config = Objects.requireNonNull(config, "config");
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        this.runner = null;
        BlasDiagnostics.checkOnce();
    }

    /** The configuration every estimate uses. */
    public LlcConfig config() {
        return config;
    }

    /**
     * Estimates the LLC of a MultiLayerNetwork at its current parameters on all examples of the iterator (reset
     * before and after). The network is not modified.
     *
     * @throws IllegalArgumentException if the network is not initialized, the data is empty or does not fit
     */
    public LlcEstimate estimate(MultiLayerNetwork network, DataSetIterator data) {
        return estimate(NetworkSurfaces.of(network, data));
    }

    /**
     * Estimates the LLC of a ComputationGraph at its current parameters on all examples of the iterator (reset
     * before and after). The graph is not modified.
     *
     * @throws IllegalArgumentException if the graph is not initialized, the data is empty or does not fit
     */
    public LlcEstimate estimate(ComputationGraph graph, MultiDataSetIterator data) {
        return estimate(NetworkSurfaces.of(graph, data));
    }

    /**
     * Estimates the LLC at the centre of the given surface: calibrates the step size and localization if either
     * is automatic ({@link #calibrate}), burns in until the chains are stationary if the burn-in is automatic, and
     * draws until the target standard error or the step cap if the draws are automatic.
     */
    public LlcEstimate estimate(LossSurface surface) {
        Objects.requireNonNull(surface, "surface");
        boolean calibrating = config.stepSize().isEmpty() || config.localization().isEmpty();
        return estimate(surface, calibrating ? calibrate(surface) : null, System.nanoTime());
    }

    /**
     * The fewest SGLD steps, over all chains, that {@link #estimate(LossSurface)} takes with this configuration, its
     * calibration included when the step size or localization is automatic: a lower bound of its cost, which a
     * listener's overhead budget multiplies by a timed step ({@link #stepTime}) to predict its first estimate. An
     * estimate usually takes several times more: automatic chains run until their standard error, and a
     * calibration until it finds a plateau.
     */
    public long fewestSteps() {
        long steps = config.chains() * Chains.fewestSteps(config);
        boolean calibrating = config.stepSize().isEmpty() || config.localization().isEmpty();
        return calibrating ? steps + calibrator().fewestSteps() : steps;
    }

    /**
     * The wall time of one SGLD step of this configuration's chains on the surface: a minibatch gradient, the noise,
     * the update and, with the PAIRED baseline, the loss at the centre on the same minibatch. Runs a short chain
     * (a step size of 1e-12 where the step size is automatic, so it stays at the centre) and returns its fastest
     * step after {@value #WARM_UP_STEPS} to warm up (DL4J's workspaces size themselves over the first few: on a small
     * MLP the first 8 gradients took 6-33 ms, the later ones 1.7-2 ms). The surface is not changed.
     */
    public Duration stepTime(LossSurface surface) {
        Objects.requireNonNull(surface, "surface");
        LlcConfig probe = config.toBuilder().stepSize(config.stepSize().orElse(1e-12))
                .localization(config.localization().orElse(0)).build();
        long fastest = Long.MAX_VALUE;
        // An infinite baseline: the probe can never be judged diverged.
        try (SgldChain chain = new SgldChain(surface, probe, 0, Double.POSITIVE_INFINITY)) {
            chain.burnIn(WARM_UP_STEPS, true);
            for (int i = 0; i < TIMED_STEPS; i++) {
                long start = System.nanoTime();
                chain.burnIn(1, true);
                fastest = Math.min(fastest, System.nanoTime() - start);
            }
        }
        return Duration.ofNanos(fastest);
    }

    /**
     * Runs the calibrator this estimator uses for an automatic step size or localization on the surface: the
     * sweep with its table, recommendation and reason.
     */
    public Calibration calibrate(LossSurface surface) {
        return calibrator().calibrate(Objects.requireNonNull(surface, "surface"));
    }

    private LlcCalibrator calibrator() {
        LlcCalibrator.Builder builder = calibration.apply(new LlcCalibrator.Builder(config));
        builder.runner = runner;
        return builder.build();
    }

    /**
     * Estimates with the step size and localization a calibration chose, made earlier on this or a similar surface
     * (a listener calibrates once per segment): its recommendation, or its fallback, and then the estimate is
     * flagged unreliable. The configuration's other settings apply as for {@link #estimate(LossSurface)}, but for
     * two. An automatic burn-in lasts at least {@link #valleySteps} steps, so that the chains have spread along
     * the valleys of the loss that only the localization bounds, and these steps do not count against
     * {@code maxStepsPerChain}. If chains diverge at the recommended step size, or end where the step's load
     * exceeds the sampler's {@linkplain Sampler#maxStepLoad() bound} (long chains reach further than the
     * calibration's), the estimate is made again at the plateau's next smaller stable step size, and if that fails
     * the same way, at the next smaller stable one at that localization (or half the step): at most
     * {@value #MAX_RETRIES} times, each recorded in the tuning's reason, and each with the step cap raised by the
     * ratio of the recommended step to its own (which keeps the chains' Langevin time), at most
     * {@value #MAX_RETRY_CAP_SCALE} times (the valley steps stay within the base cap). An attempt that a retry will
     * replace stops soon after its first chain diverged (within an eighth of the burn-in or draws segment it was in;
     * a {@link ChainRunner}'s chains at the end of the segment): the retry is the same, and on the exact-value suite's
     * slowest estimate (docs/accuracy.md, #32 with seed 44, retried twice) this took 25.6 s instead of 33.2 s. An
     * estimate still failing is flagged.
     */
    public LlcEstimate estimate(LossSurface surface, Calibration calibration) {
        return estimate(Objects.requireNonNull(surface, "surface"), Objects.requireNonNull(calibration,
                "calibration"), System.nanoTime());
    }

    private LlcEstimate estimate(LossSurface surface, Calibration calibration, long start) {
        if (calibration == null) {
            return sample(surface, config, 0, null, "", false, start);
        }
        LlcConfig chosen = calibration.chosen();
        double gamma = chosen.localization().orElseThrow();
        double eps = chosen.stepSize().orElseThrow();
        String reason = calibration.reason();
        double recommended = eps;
        int retries = calibration.recommended().isPresent() ? MAX_RETRIES : 0;
        for (int retry = 0; ; retry++) {
            // An attempt that a retry would replace stops at its first diverged chain: the rest of its steps
            // would only be thrown away.
            LlcEstimate estimate = spread(surface, eps, gamma, Math.min(recommended / eps, MAX_RETRY_CAP_SCALE),
                    calibration, reason, retry < retries, start);
            boolean overloaded = estimate != null && estimate.tuning().stepLoad() > config.sampler().maxStepLoad();
            if (estimate != null && (retry == retries || estimate.divergedChains() == 0 && !overloaded)) {
                return estimate;
            }
            // The long chains went further than the calibration's short ones: some diverged, or they reached where
            // the loss is too stiff for the step size. The plateau's next smaller step was stable and agreed with it
            // (that made the plateau); below it, the next smaller stable row, or half the step.
            double current = eps;
            eps = calibration.rows().stream().filter(r -> r.localization() == gamma && r.stepSize() < current
                    && r.stable()).mapToDouble(Calibration.Row::stepSize).max().orElse(current / 2);
            String what = estimate == null ? "a long chain diverged" : String.format("the long chains ended where "
                    + "the step's load was %.2f (above %.1f)", estimate.tuning().stepLoad(),
                    config.sampler().maxStepLoad());
            log.debug("at step size {} {}; estimating again at {}", current, what, eps);
            reason = String.format("%s; at stepSize %.3g %s, so %s was used", reason, current, what, retry == 0
                    ? "the next smaller stable step size of the plateau" : String.format("stepSize %.3g", eps));
            // Toward the same Langevin time as at the recommended step: the cap grows with the ratio of the steps,
            // at most to MAX_RETRY_CAP_SCALE times, and the valley steps keep the base cap's bound (a fourth of the
            // step with both at four times the cap took 45-52 s on the suite's slowest cases, and 33 s with both at
            // twice the cap).
        }
    }

    /**
     * The steps a chain needs to spread along a valley that only the localization bounds, where the loss is flat
     * along the orbit of a continuous symmetry (the rescalings of a deep linear network or a reduced rank
     * regression): about 1 / (eps gamma) (the localization pulls back by eps gamma / 2 per step), at most
     * {@code maxStepsPerChain}; 0 without localization or with a burn-in that was set. The loss trace's
     * stationarity test does not see this spread, which changes the loss too slowly, and chains that have not
     * finished it come out low: on the exact-value suite (docs/accuracy.md) by 2-4% on average over seeds on such
     * networks, and by up to 10% on one seed.
     */
    long valleySteps(double eps, double gamma) {
        if (config.burnInSteps().isPresent() || !(gamma > 0)) {
            return 0;
        }
        return (long) Math.min(1 / (eps * gamma), config.maxStepsPerChain());
    }

    /**
     * The estimate at a calibrated step size and localization, with the step cap times {@code capScale}: the
     * burn-in's {@linkplain #valleySteps valley steps} come on top of it.
     */
    private LlcEstimate spread(LossSurface surface, double eps, double gamma, double capScale,
            Calibration calibration, String reason, boolean stopAtDivergence, long start) {
        long cap = (long) Math.ceil(capScale * config.maxStepsPerChain());
        long valley = valleySteps(eps, gamma);
        LlcConfig sampling = config.toBuilder().stepSize(eps).localization(gamma).maxStepsPerChain(cap + valley)
                .build();
        return sample(surface, sampling, valley, calibration, reason, stopAtDivergence, start);
    }

    /**
     * Samples with the given step size and localization (calibration: where they came from, or null; valley: the
     * burn-in's least length once stationary). With {@code stopAtDivergence}, the chains stop soon after one
     * diverged ({@link Chains}), and the result is null.
     */
    private LlcEstimate sample(LossSurface surface, LlcConfig sampling, long valley, Calibration calibration,
            String calibrationReason, boolean stopAtDivergence, long start) {
        List<String> problems = new ArrayList<>();
        if (calibration != null && calibration.recommended().isEmpty()) {
            problems.add("calibration found no plateau, so the step size and localization are its fallback: "
                    + calibration.reason());
        }
        double baseline = fullDataLoss(surface, sampling.batchSize());
        try (Chains chains = new Chains(surface, sampling, baseline, runner, stopAtDivergence)) {
            Chains.BurnIn burnIn = chains.burnIn(start);
            if (!burnIn.stationary()) {
                problems.add("the loss traces were not stationary after the burn-in (" + burnIn.description()
                        + (burnIn.timeLimited() ? "): raise the time limit" : "): raise maxStepsPerChain, or lower the "
                        + "step size"));
            }
            String burnInDescription = burnIn.description();
            long spread = burnIn.stationary() ? chains.extendBurnIn(valley, start) : 0;
            if (spread > 0) {
                burnInDescription += String.format("; extended to %d steps to spread along the valleys",
                        chains.burnInSteps());
            }
            double relaxation = valley == 0 ? 0
                    : 1 / (sampling.stepSize().getAsDouble() * sampling.localization().getAsDouble());
            if (burnIn.stationary() && !chains.allDiverged()
                    && chains.burnInSteps() < MIN_VALLEY_FRACTION * relaxation) {
                problems.add(String.format("the burn-in lasted %d steps, under a third of the %.0f (1 / (eps gamma)) "
                        + "the chains need to spread along the valleys that only the localization bounds, so the "
                        + "estimate may be low: raise %s", chains.burnInSteps(), relaxation,
                        chains.burnInSteps() < valley ? "the time limit (in a listener, its overhead budget)"
                                : "maxStepsPerChain"));
            }
            long beforeDraws = chains.burnInSteps();
            LlcEstimate.DrawsStop stop = draw(chains, sampling, stopAtDivergence, start);
            // After a divergence the chains took no more steps (Chains), so the valley and the draws were no-ops.
            if (stopAtDivergence && chains.anyDiverged()) {
                return null;
            }
            double stepLoad = chains.stepLoad();
            if (stepLoad > sampling.sampler().maxStepLoad()) {
                problems.add(String.format("where the chains ended, the loss is stiffer than the step size allows: "
                        + "eps (nBeta h + gamma) = %.2f > %.1f, %s; lower the step size, or strengthen the "
                        + "localization", stepLoad, sampling.sampler().maxStepLoad(),
                        sampling.sampler().stepLoadRisk()));
            }
            if (stop == LlcEstimate.DrawsStop.STEP_CAP || stop == LlcEstimate.DrawsStop.TIME_LIMIT) {
                BatchMeans summary = chains.batchMeans();
                problems.add(String.format("the standard error %.2g is %.1f%% of the estimate, above the target "
                        + "%.1f%%: the %s ended the draws; raise it", summary.standardError(),
                        100 * summary.standardError() / Math.abs(summary.mean()), 100 * config.targetRelativeError(),
                        stop == LlcEstimate.DrawsStop.STEP_CAP ? "step cap (maxStepsPerChain)"
                                : "time limit (timeLimit; in a listener, what its overhead budget allowed the run)"));
            }
            int draws = chains.all().stream().mapToInt(ChainProgress::draws).max().orElse(0);
            long burnInSteps = chains.burnInSteps();
            if (burnInSteps > beforeDraws) {
                burnInDescription += String.format("; extended to %d steps, half the draws' length", burnInSteps);
            }
            // The valley's steps came on top of the step cap; the cap resolved is the one the user set.
            LlcConfig resolved = sampling.toBuilder().burnInSteps((int) burnInSteps).draws(Math.max(1, draws))
                    .maxStepsPerChain(config.maxStepsPerChain()).build();
            Set<LlcConfig.Setting> automatic = EnumSet.noneOf(LlcConfig.Setting.class);
            automatic.addAll(config.automatic());
            if (calibration != null) {
                automatic.add(LlcConfig.Setting.STEP_SIZE);
                automatic.add(LlcConfig.Setting.LOCALIZATION);
            }
            LlcEstimate.Tuning tuning = new LlcEstimate.Tuning(automatic, calibrationReason,
                    burnInDescription, burnIn.stationary(), stop, stepLoad);
            return summarize(surface, resolved, baseline, chains, problems, tuning,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Records the configured draws, or draws in rounds until the target standard error, step cap or time limit (a
     * round is shortened to the draws the time left allows at the pace of the chains' last segment, the first round
     * to no fewer than {@value #FEWEST_TIMED_DRAWS}).
     */
    private static LlcEstimate.DrawsStop draw(Chains chains, LlcConfig config, boolean stopAtDivergence,
            long start) {
        if (config.draws().isPresent()) {
            chains.draw(config.draws().getAsInt());
            return LlcEstimate.DrawsStop.FIXED;
        }
        int thinning = config.stepsBetweenDraws();
        // An automatic burn-in grows with the draws; a sampler that adapts during burn-in cannot convert draws.
        boolean extendBurnIn = config.burnInSteps().isEmpty() && !config.sampler().preconditioned();
        long total = 0;
        long next = Math.max(Chains.FIRST_DRAWS, chains.maxSteps() / 2 / thinning);
        long limit = config.timeLimit().map(LlcEstimator::nanos).orElse(Long.MAX_VALUE);
        while (true) {
            long remaining = (config.maxStepsPerChain() - chains.maxSteps()) / thinning;
            next = Math.min(next, remaining);
            if (next <= 0 || chains.allDiverged() || stopAtDivergence && chains.anyDiverged()) {
                return LlcEstimate.DrawsStop.STEP_CAP;
            }
            if (limit != Long.MAX_VALUE && chains.nanosPerStep() > 0) {
                // A round no longer than the time left, at the pace of the last segment; the first round has at
                // least the fewest draws an estimate needs.
                long fits = (long) ((limit - (System.nanoTime() - start)) / (chains.nanosPerStep() * thinning));
                if (total > 0 && fits < 1) {
                    return LlcEstimate.DrawsStop.TIME_LIMIT;
                }
                next = Math.min(next, Math.max(fits, total > 0 ? 1 : Math.min(next, FEWEST_TIMED_DRAWS)));
            }
            chains.draw((int) next);
            total += next;
            if (extendBurnIn) {
                total -= chains.keepBurnInAtLeastHalfTheDraws();
            }
            BatchMeans summary = chains.batchMeans();
            double target = config.targetRelativeError() * Math.abs(summary.mean());
            double rHat = chains.rHat();
            if (summary.standardError() <= target && !(rHat > MAX_R_HAT)) {
                return LlcEstimate.DrawsStop.TARGET_REACHED;
            }
            if (summary.mean() + 2 * summary.standardError() < 0) {
                // Clearly below zero: the centre is no minimum of the sampled loss, and more draws would only make
                // that surer, at the cost of the rest of the step cap.
                return LlcEstimate.DrawsStop.NEGATIVE;
            }
            if (System.nanoTime() - start >= limit) {
                return LlcEstimate.DrawsStop.TIME_LIMIT;
            }
            // The standard error falls as 1/sqrt(draws): aim for the draws the target needs, with a margin, but
            // grow by at least half so that a noisy error cannot stall the rounds.
            double ratio = Math.max(summary.standardError() / target, Math.min(2, Double.isNaN(rHat) ? 1 : rHat));
            double needed = Double.isFinite(ratio) ? total * ratio * ratio * 1.2 : 2.0 * total;
            next = (long) Math.max(total / 2.0, Math.min(needed - total, 4.0 * total));
        }
    }

    /** The duration in nanoseconds, or Long.MAX_VALUE for one too long to count in them (about 292 years). */
    static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Mean loss at the centre over all examples, in chunks of the batch size. */
    static double fullDataLoss(LossSurface surface, int chunk) {
        int n = surface.dataSize();
        double sum = 0;
        try (LossSurface.Evaluator evaluator = surface.newEvaluator()) {
            for (int from = 0; from < n; from += chunk) {
                int size = Math.min(chunk, n - from);
                int[] batch = new int[size];
                for (int i = 0; i < size; i++) {
                    batch[i] = from + i;
                }
                sum += evaluator.loss(batch) * size;
            }
        }
        return sum / n;
    }

    private static LlcEstimate summarize(LossSurface surface, LlcConfig config, double baseline, Chains run,
            List<String> problems, LlcEstimate.Tuning tuning, Duration wallTime) {
        List<ChainResult> chains = new ArrayList<>();
        List<double[]> usedTraces = new ArrayList<>();
        List<Double> usedEss = new ArrayList<>();
        double sum = 0;
        double sumSq = 0;
        double ess = 0;
        long draws = 0;
        double below = 0;
        for (ChainProgress progress : run.all()) {
            ChainResult chain = progress.result();
            chains.add(chain);
            if (!chain.diverged()) {
                usedTraces.add(progress.contributions());
                usedEss.add(chain.effectiveSampleSize());
                sum += chain.llc();
                sumSq += chain.llc() * chain.llc();
                if (!Double.isNaN(chain.effectiveSampleSize())) {
                    ess += chain.effectiveSampleSize();
                }
                draws += chain.draws();
                below += chain.fractionBelowBaseline() * chain.draws();
            }
        }
        int used = usedTraces.size();
        double mean = used > 0 ? sum / used : Double.NaN;
        double std = used > 1 ? Math.sqrt(Math.max(0, (sumSq - used * mean * mean) / (used - 1))) : Double.NaN;
        double standardError = BatchMeans.of(usedTraces, usedEss.stream().mapToDouble(Double::doubleValue).toArray(),
                Chains.BATCHES_PER_CHAIN).standardError();
        double rHat = McmcDiagnostics.splitRHat(usedTraces.toArray(new double[0][]));
        double fractionBelow = draws > 0 ? below / draws : Double.NaN;
        List<String> warnings = new ArrayList<>(problems);
        warnings.addAll(warnings(chains, used, mean, rHat, fractionBelow));
        if (!warnings.isEmpty()) {
            log.debug("LLC estimate {} (d={}, {}): {}", mean, surface.dimension(), config, String.join("; ", warnings));
        }
        return LlcEstimate.of(config, surface.dimension(), surface.dataSize(), baseline, chains, mean, std,
                standardError, rHat, used > 0 ? ess : Double.NaN, fractionBelow, wallTime, warnings, tuning);
    }

    private static List<String> warnings(List<ChainResult> chains, int used, double mean, double rHat,
            double fractionBelow) {
        List<String> warnings = new ArrayList<>();
        int diverged = chains.size() - used;
        if (used == 0) {
            warnings.add("all " + chains.size() + " chains diverged (first: "
                    + chains.get(0).divergence().orElse("?") + "); lower the step size or raise the localization");
        } else if (diverged > 0) {
            String first = chains.stream().filter(ChainResult::diverged).findFirst()
                    .flatMap(ChainResult::divergence).orElse("?");
            warnings.add(diverged + " of " + chains.size() + " chains diverged and were excluded (first: " + first
                    + "); lower the step size or raise the localization");
        }
        if (used > 0 && !(mean > 0)) {
            warnings.add(String.format("non-positive estimate %.4g: the centre is probably not a local minimum of the "
                    + "sampled loss, or the chains are too short", mean));
        }
        if (fractionBelow > 0.5) {
            warnings.add(String.format("%.0f%% of draws had a loss below the baseline: the centre is probably not a "
                    + "local minimum", 100 * fractionBelow));
        }
        if (rHat > MAX_R_HAT) {
            warnings.add(String.format("R-hat %.3f > 1.1: the chains disagree; run longer chains or calibrate the "
                    + "step size", rHat));
        }
        return warnings;
    }
}
