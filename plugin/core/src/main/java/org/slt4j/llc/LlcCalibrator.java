package org.slt4j.llc;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slt4j.surface.LossSurface;

/**
 * Chooses the SGLD step size and localization for a surface instead of leaving them to hand-tuning.
 *
 * <p><b>Step size.</b> The calibrator first measures the largest curvature h of the loss at the centre (power
 * iteration on Hessian-vector products). A direction of curvature h is sampled with an upward bias of about eps
 * (nBeta h + gamma) / 4, so the natural step is eps0 = {@value #STEP_FRACTION} / (nBeta h + gamma). It then runs
 * short estimates from 2 eps0 down by factors of 2 (or over the given grid) and diagnoses each: diverged chains,
 * a burn-in that did not become stationary and draws that did not reach their standard error within the cap (so a
 * setting whose chains have not equilibrated cannot count), split R-hat, a non-positive estimate, most draws below
 * the baseline (either of the last two ends the localization's sweep: the centre is no minimum there, and smaller
 * steps will not make it one). Chains that are not stationary or miss their standard error at eps0 or below end
 * the sweep too: smaller steps only mix more slowly, so the next, stronger localization is tried instead. The
 * recommendation is the largest step size that is stable, whose next larger step (twice it) is stable too, and
 * whose estimate agrees with the next smaller step's within the tolerance: the plateau where the step-size bias
 * has vanished.
 *
 * <p><b>Localization.</b> Localization biases the LLC down, so the weakest one that gives a plateau is used. By
 * default gamma is {@value #LOCALIZATION_FRACTION} of the regular curvature scale nBeta h, then ten and a hundred
 * times that: weak against the curvature of every direction that counts, yet enough to keep chains from drifting
 * along the exactly flat directions of symmetries without end. A plateau at a stronger localization is only
 * recommended if it agrees with an estimate the weaker localizations did give and disagrees with none of theirs that
 * was run to its standard error ({@link #localizationBias}).
 *
 * <p><b>No plateau.</b> Then the configuration is a fallback, and estimates made with it are flagged unreliable.
 * Localization only biases the LLC down, so the fallback is the least localized setting the sweep found sound: the
 * first it ran (localizations ascending, step sizes descending) that was stable, within the load bound and run to
 * its standard error, not a grid's first, stability-only step (on the exact-value suite's three networks without a
 * plateau this cut the errors from -15%, -27% and -38% to -4%, 0% and -23%: docs/accuracy.md).
 * If no setting was sound, it is the smallest stable step size at the strongest localization that had a stable one
 * (if none was stable, the smallest step size that ran at the strongest localization that ran). A setting the
 * budget left unrun is never chosen.
 *
 * <p><b>Cost.</b> Each setting runs the base configuration's chains with an automatic burn-in and draws until a
 * standard error of {@value #ROW_TARGET} of the estimate (or the builder's {@code rowTarget}; for the automatic
 * grid's first step, which only has to be stable, {@value #STABILITY_TARGET} or the row target if larger),
 * both within the base step cap (at least 100 steps). The sweep stops at the first plateau and never spends more
 * than {@value #BUDGET_ESTIMATES} estimates' worth of steps (chains times the base's maxStepsPerChain each): the
 * last setting it runs gets what is left, and it stops when that is under 100 steps per chain.
 * {@link Calibration#totalSteps()} reports what it spent. With a time limit in the base configuration
 * ({@link LlcConfig#timeLimit()}) the sweep also stops when that time is up, counted from the start of the
 * calibration: no setting starts after it, and the burn-in and draws of the one running stop; the fallback is then
 * used, flagged, and the reason says the time ran out.
 *
 * <p>The short runs use the base configuration's nBeta, sampler, baseline, batch size, chains, seed and threads.
 * Immutable and thread-safe.
 */
public final class LlcCalibrator {
    /** eps0 (nBeta h + gamma): the step-size bias on the stiffest direction is about a quarter of this. */
    static final double STEP_FRACTION = 0.05;
    /** The weakest automatic localization, as a fraction of nBeta h. */
    static final double LOCALIZATION_FRACTION = 1e-3;
    /** Relative standard error each setting that may be compared is run to, by default. */
    static final double ROW_TARGET = 0.03;
    /**
     * Relative standard error of the first, largest step of each localization's automatic grid: it is never a
     * candidate, only the double that must be stable, which needs no precise estimate.
     */
    static final double STABILITY_TARGET = 0.1;
    /** Most steps of a sweep, in estimates at the base step cap. */
    static final int BUDGET_ESTIMATES = 5;
    /** The fewest steps per chain a setting is run with (the least step cap a configuration allows). */
    private static final long MIN_ROW_STEPS = 100;
    /** Step sizes tried per localization with the automatic grid: 2 eps0 down to eps0 / 32. */
    private static final int AUTOMATIC_STEPS = 7;

    private final LlcConfig base;
    private final double[] stepSizes;
    private final double[] localizations;
    private final double tolerance;
    private final double rowTarget;
    private final double maxRHat;
    private final ChainRunner runner;

    private LlcCalibrator(Builder b) {
        this.runner = b.runner;
        this.base = b.base;
        this.stepSizes = b.stepSizes == null ? null : descending(b.stepSizes);
        this.localizations = b.localizations == null ? null : b.localizations.clone();
        if (localizations != null) {
            Arrays.sort(localizations);
        }
        this.tolerance = b.tolerance;
        this.rowTarget = b.rowTarget;
        this.maxRHat = b.maxRHat;
    }

    /** Sweeps the grid on the surface and returns the table with the recommendation (or the fallback). */
    public Calibration calibrate(LossSurface surface) {
        Objects.requireNonNull(surface, "surface");
        long start = System.nanoTime();
        double curvature = Curvature.top(surface, base.seed());
        double scale = base.nBeta() * curvature;
        long budget = (long) BUDGET_ESTIMATES * base.chains() * base.maxStepsPerChain();
        long steps = 0;
        long limit = base.timeLimit().map(LlcEstimator::nanos).orElse(Long.MAX_VALUE);
        String exhausted = null;
        List<Calibration.Row> rows = new ArrayList<>();
        Calibration.Row lastStable = null;
        String localizationBiased = null;
        List<Calibration.Row> evidence = new ArrayList<>();
        List<Double> noMinimum = new ArrayList<>();
        double[] gammas = localizations(scale);
        for (double gamma : gammas) {
            double[] grid = stepSizes(scale, gamma);
            List<Calibration.Row> sweep = new ArrayList<>();
            for (int i = 0; i < grid.length; i++) {
                double eps = grid[i];
                // A setting's chains stop at its step cap, so capping it by what is left keeps the sweep in budget.
                long rowCap = Math.min(Math.max(MIN_ROW_STEPS, base.maxStepsPerChain()),
                        (budget - steps) / base.chains());
                if (rowCap < MIN_ROW_STEPS) {
                    exhausted = " within the calibration budget of " + budget + " steps";
                    break;
                }
                long left = limit - (System.nanoTime() - start);
                if (left <= 0) {
                    exhausted = " before its time limit of " + base.timeLimit().orElseThrow() + " ran out";
                    break;
                }
                boolean stabilityOnly = stepSizes == null && sweep.isEmpty();
                LlcConfig config = rowConfig(eps, gamma, stabilityOnly ? Math.max(STABILITY_TARGET, rowTarget)
                        : rowTarget, rowCap);
                if (limit != Long.MAX_VALUE) {
                    // The setting's draws stop when the sweep's time is up.
                    config = config.toBuilder().timeLimit(Duration.ofNanos(left)).build();
                }
                LlcEstimate estimate = (runner == null ? new LlcEstimator(config)
                        : new LlcEstimator(config, UnaryOperator.identity(), runner)).estimate(surface);
                steps += estimate.totalSteps();
                String problem = problem(estimate);
                Calibration.Row row = Calibration.Row.of(eps, gamma, estimate, problem == null,
                        problem != null ? problem : overloaded(estimate.tuning().stepLoad()) ? String.format(
                                "stable; step too large where the chains went: load %.2f > %.1f",
                                estimate.tuning().stepLoad(), base.sampler().maxStepLoad()) : "stable");
                sweep.add(row);
                rows.add(row);
                if (!stabilityOnly && evidence(estimate)) {
                    evidence.add(row);
                }
                if (row.stable() && !overloaded(row)) {
                    lastStable = row;
                }
                if (estimate.divergedChains() == 0
                        && (estimate.mean() <= 0 || estimate.fractionBelowBaseline() > 0.5)) {
                    // The centre is no minimum at this localization; smaller steps will not make it one.
                    noMinimum.add(gamma);
                    break;
                }
                if (stepSizes == null && sweep.size() > 1 && estimate.divergedChains() == 0
                        && (!estimate.tuning().stationary()
                        || estimate.tuning().drawsStop() != LlcEstimate.DrawsStop.TARGET_REACHED)) {
                    // Chains too slow to equilibrate within the cap at eps0 or below: smaller steps mix slower
                    // still (the mixing time of a direction is about 1 / (eps (nBeta c + gamma))), so only a
                    // stronger localization can help.
                    break;
                }
                if (overloaded(estimate.tuning().stepLoad()) && stepSizes == null) {
                    // The chains went where this step is too large by the ratio of the load to its bound: the
                    // steps in between would fail the same way, so the sweep goes on below that ratio.
                    double fits = eps * base.sampler().maxStepLoad() / estimate.tuning().stepLoad();
                    while (i + 1 < grid.length && grid[i + 1] > fits) {
                        i++;
                    }
                }
                int candidate = singleStep() ? sweep.size() - 1 : sweep.size() - 2;
                if (plateauAt(sweep, candidate)) {
                    Calibration.Row chosen = sweep.get(candidate);
                    String biased = localizationBias(evidence, chosen, gammas[0], noMinimum, tolerance);
                    if (biased != null) {
                        localizationBiased = biased;
                        rows.set(rows.size() - sweep.size() + candidate, withVerdict(chosen,
                                "stable; a plateau, but its localization's bias is not ruled out (see the reason)"));
                        continue;
                    }
                    rows.set(rows.size() - sweep.size() + candidate, withVerdict(chosen, "recommended"));
                    String reason = singleStep() ? String.format("the given step size is stable at the weakest "
                            + "localization tried (top curvature %.3g, nBeta h %.3g)", curvature, scale)
                            : String.format("largest stable step size whose estimate %.4g agrees with the next "
                            + "smaller step size's %.4g within %.0f%% and whose double is stable, at the weakest "
                            + "localization with such a plateau (top curvature %.3g, nBeta h %.3g)", chosen.llc(),
                            row.llc(), 100 * tolerance, curvature, scale);
                    return new Calibration(rows, base.toBuilder().stepSize(chosen.stepSize()).localization(gamma)
                            .build(), null, reason, Duration.ofNanos(System.nanoTime() - start), steps);
                }
            }
            if (exhausted != null) {
                break;
            }
        }
        // Rows run with localizations ascending and step sizes descending, so the first sound row is the least
        // localized one, the last stable row the smallest stable step at the strongest localization that had one, and
        // the last row the smallest step that ran at the strongest localization that ran. A setting that never ran
        // (the budget ended first) is never chosen.
        Calibration.Row sound = evidence.stream().filter(Calibration.Row::stable).findFirst().orElse(null);
        Calibration.Row fallback = sound != null ? sound : lastStable != null ? lastStable
                : rows.isEmpty() ? null : rows.get(rows.size() - 1);
        double gamma = fallback != null ? fallback.localization() : gammas[0];
        double eps = fallback != null ? fallback.stepSize() : stepSizes(scale, gamma)[0];
        String reason = String.format("no step size was stable, had a stable double and agreed with the next smaller "
                + "one within %.0f%%%s%s; fallback: stepSize %.3g, localization %.3g (%s; top curvature %.3g). %s",
                100 * tolerance, exhausted != null ? exhausted : "",
                localizationBiased == null ? "" : " (" + localizationBiased + ")", eps, gamma,
                sound != null ? "the least localized setting that was stable and run to its standard error"
                        : lastStable != null ? "only stability-only first steps were stable: the smallest at the "
                        + "strongest localization" : "no setting was stable", curvature,
                localizationBiased == null ? "Check that the centre is a local minimum, or widen the grid"
                        : "Longer chains (maxStepsPerChain) let the weaker localizations reach a plateau");
        return new Calibration(rows, null, base.toBuilder().stepSize(eps).localization(gamma).build(), reason,
                Duration.ofNanos(System.nanoTime() - start), steps);
    }

    /**
     * The fewest SGLD steps, over all chains, a calibration takes (without the curvature's few Hessian-vector
     * products): a plateau needs three settings of a grid (one setting when the step size is given), and a sweep
     * without one runs at least one setting per localization; each setting at least its chains' first rounds.
     */
    long fewestSteps() {
        int settings = singleStep() ? 1 : Math.min(3, localizations(1).length);
        LlcConfig first = rowConfig(1, 0, rowTarget, Math.max(MIN_ROW_STEPS, base.maxStepsPerChain()));
        return settings * base.chains() * Chains.fewestSteps(first);
    }

    /** Whether the step size was given: then only the localization is swept, and stability is what counts. */
    private boolean singleStep() {
        return stepSizes != null && stepSizes.length == 1;
    }

    /** The configuration of one setting's short run. */
    private LlcConfig rowConfig(double eps, double gamma, double target, long maxStepsPerChain) {
        return base.toBuilder().stepSize(eps).localization(gamma).automatic(LlcConfig.Setting.BURN_IN_STEPS,
                LlcConfig.Setting.DRAWS).targetRelativeError(target).maxStepsPerChain(maxStepsPerChain)
                .keepTraces(false).build();
    }

    /** Whether the step at {@code candidate} is stable, agrees with the next smaller one and its double is stable. */
    private boolean plateauAt(List<Calibration.Row> sweep, int candidate) {
        if (singleStep()) {
            // A step size the user set is used exactly: there is nothing to compare it with, only its stability.
            return sweep.get(candidate).stable();
        }
        if (candidate < 1) {
            return false;
        }
        Calibration.Row larger = sweep.get(candidate - 1);
        Calibration.Row chosen = sweep.get(candidate);
        Calibration.Row smaller = sweep.get(candidate + 1);
        // The double must only be stable: its load may exceed the bound an estimate is vouched for with.
        return larger.stable() && chosen.stable() && smaller.stable() && !overloaded(chosen) && !overloaded(smaller)
                && Math.abs(chosen.llc() - smaller.llc()) <= tolerance * Math.abs(smaller.llc());
    }

    /**
     * Why a plateau at a stronger localization than the weakest tried cannot be vouched for, or null. Localization
     * lowers the estimate, and the weaker localizations' rows show by how much: a plateau that none of them agrees
     * with, within the tolerance or three combined standard errors, measures the localization more than the
     * landscape. On a deep linear network (8-2-8-7-5, rank 2, lambda 11) the plateau at 0.1 nBeta h gave 8.4 +- 0.2
     * where 0.01 nBeta h had given 10.4 +- 0.25; on another (2-8-4-7, rank 2, lambda 7) the plateau at 0.1 nBeta h
     * gave 5.77 where 0.01 nBeta h had given 7.02 +- 0.22, a row that only missed its standard error.
     *
     * <p>Only a row run to its standard error can vouch for the plateau by agreeing; a row that missed it (by at most
     * a factor of two) can only refute it, since its larger error makes agreement easy: on a deep linear network
     * (8-5-2-5-8, rank 1, lambda 9.5) such a row let a plateau 14% low pass. A row run to its standard error that
     * disagrees refutes the plateau even where another agrees: a weaker localization's estimates may rise as its
     * step shrinks, and its larger steps then agree with a low plateau. On a deep linear network (5-6-4-3-5, rank 2,
     * lambda 9, estimator seed 43) the plateau at 0.01 nBeta h, 7.81 +- 0.21, agreed with 8.10 +- 0.24 at 0.001
     * nBeta h and disagreed with 9.06 +- 0.27 there at half that step; it was reported reliable, 8.6% low. Without a
     * row that agrees the plateau is not vouched for, unless a weaker localization found the centre no minimum (most
     * draws below the baseline, or a non-positive estimate) and no row refutes it: then the localization is what
     * makes the estimate defined at all. Rows whose chains diverged, went where the step is too large or did not
     * become stationary show nothing about the localization's bias.
     *
     * @param evidence the rows that can show a localization's bias ({@link #evidence}), in the order they ran
     * @param weakest the weakest localization the sweep tried
     * @param noMinimum the localizations at which the centre was found no minimum
     */
    static String localizationBias(List<Calibration.Row> evidence, Calibration.Row chosen, double weakest,
            List<Double> noMinimum, double tolerance) {
        if (chosen.localization() <= weakest) {
            return null;
        }
        List<Calibration.Row> weaker = evidence.stream().filter(r -> r.localization() < chosen.localization())
                .toList();
        Comparator<Calibration.Row> closest = Comparator.comparingDouble(r -> Math.abs(chosen.llc() - r.llc()));
        Calibration.Row refuting = weaker.stream().filter(r -> r.stable() && !agree(chosen, r, tolerance))
                .min(closest).orElse(null);
        if (refuting != null) {
            return String.format("the plateau at localization %.3g, %.4g, disagreed with %.4g +- %.2g at %.3g, an "
                    + "estimate run to its standard error: the localization biases it", chosen.localization(),
                    chosen.llc(), refuting.llc(), refuting.standardError(), refuting.localization());
        }
        if (weaker.stream().anyMatch(r -> r.stable() && agree(chosen, r, tolerance))) {
            return null;
        }
        Calibration.Row nearest = weaker.stream().filter(r -> !agree(chosen, r, tolerance)).min(closest)
                .orElse(null);
        if (nearest != null) {
            return String.format("the plateau at localization %.3g, %.4g, agreed with no estimate at a weaker "
                    + "localization run to its standard error and disagreed with %.4g +- %.2g at %.3g: the "
                    + "localization biases it", chosen.localization(), chosen.llc(), nearest.llc(),
                    nearest.standardError(), nearest.localization());
        }
        if (noMinimum.stream().anyMatch(g -> g < chosen.localization())) {
            return null;
        }
        return String.format("the plateau at localization %.3g, %.4g, had no estimate at a weaker localization precise "
                + "enough to compare with (their chains diverged, went where the step is too large, did not "
                + "equilibrate or missed their standard error): how much the localization biases it is unknown",
                chosen.localization(), chosen.llc());
    }

    /** Whether two rows' estimates agree within the tolerance or three combined standard errors. */
    private static boolean agree(Calibration.Row a, Calibration.Row b, double tolerance) {
        double gap = Math.abs(a.llc() - b.llc());
        return gap <= tolerance * Math.abs(b.llc()) || gap <= 3 * Math.hypot(a.standardError(), b.standardError());
    }

    /**
     * Whether a setting's estimate can show a localization's bias: its chains did not diverge, became stationary,
     * mixed (R-hat within bound), stayed within the load bound and found a positive estimate with most draws above
     * the baseline, and its standard error is within twice the row target of it (a row that only missed its
     * target counts, with its larger standard error).
     */
    private boolean evidence(LlcEstimate estimate) {
        return estimate.divergedChains() == 0 && estimate.mean() > 0 && estimate.fractionBelowBaseline() <= 0.5
                && estimate.tuning().stationary() && estimate.rHat() <= maxRHat
                && estimate.relativeStandardError() <= 2 * rowTarget && !overloaded(estimate.tuning().stepLoad());
    }

    /** Whether a row's chains ended where its step size is too large to vouch for its estimate. */
    private boolean overloaded(Calibration.Row row) {
        return overloaded(row.stepLoad());
    }

    private boolean overloaded(double stepLoad) {
        return stepLoad > base.sampler().maxStepLoad();
    }

    private double[] localizations(double scale) {
        if (localizations != null) {
            return localizations;
        }
        double weakest = LOCALIZATION_FRACTION * (scale > 0 ? scale : 1);
        return new double[] {weakest, 10 * weakest, 100 * weakest};
    }

    private double[] stepSizes(double scale, double gamma) {
        if (stepSizes != null) {
            return stepSizes;
        }
        double stiffness = scale + gamma;
        double eps0 = STEP_FRACTION / (stiffness > 0 ? stiffness : 1);
        double[] grid = new double[AUTOMATIC_STEPS];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = 2 * eps0 / (1 << i);
        }
        return grid;
    }

    private static Calibration.Row withVerdict(Calibration.Row row, String verdict) {
        return new Calibration.Row(row.stepSize(), row.localization(), row.llc(), row.standardError(),
                row.divergedChains(), row.rHat(), row.fractionBelowBaseline(), row.stepLoad(), row.stable(), verdict);
    }

    /** Why a setting is unusable, or null if it is stable. */
    private String problem(LlcEstimate estimate) {
        if (estimate.divergedChains() > 0) {
            return estimate.divergedChains() + " chains diverged";
        }
        if (!(estimate.mean() > 0)) {
            return "non-positive estimate";
        }
        if (estimate.fractionBelowBaseline() > 0.5) {
            return "most draws below the baseline";
        }
        if (!estimate.tuning().stationary()) {
            return "not stationary after burn-in";
        }
        if (estimate.tuning().drawsStop() != LlcEstimate.DrawsStop.TARGET_REACHED) {
            // Chains that cannot reach the setting's standard error within its cap have not mixed; a comparison
            // with them would test their noise, not the step size's bias.
            return String.format("standard error %.1f%% not down to %.0f%% within the %s",
                    100 * estimate.relativeStandardError(), 100 * estimate.config().targetRelativeError(),
                    estimate.tuning().drawsStop() == LlcEstimate.DrawsStop.TIME_LIMIT ? "time limit" : "step cap");
        }
        if (estimate.rHat() > maxRHat) {
            return String.format("R-hat %.3f > %.2f", estimate.rHat(), maxRHat);
        }
        return null;
    }

    private static double[] descending(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int i = 0, j = sorted.length - 1; i < j; i++, j--) {
            double t = sorted[i];
            sorted[i] = sorted[j];
            sorted[j] = t;
        }
        return sorted;
    }

    /** Builder for {@link LlcCalibrator}; defaults are listed on each setter. */
    public static final class Builder {
        private final LlcConfig base;
        private double[] stepSizes;
        private double[] localizations;
        private double tolerance = 0.05;
        private double rowTarget = ROW_TARGET;
        private double maxRHat = 1.1;
        /** Where the settings' chains run (the estimator's runner, set by {@link LlcEstimator#calibrate}). */
        ChainRunner runner;

        /**
         * A calibrator for the given base configuration (its nBeta, sampler, baseline, batch size, chains, seed,
         * threads and step cap). A step size or localization set in the base is used as the only value tried.
         */
        public Builder(LlcConfig base) {
            this.base = Objects.requireNonNull(base, "base config");
            base.stepSize().ifPresent(eps -> stepSizes = new double[] {eps});
            base.localization().ifPresent(gamma -> localizations = new double[] {gamma});
        }

        /**
         * Step sizes to try (default: 2 eps0 down to eps0 / 32 in factors of 2, eps0 = {@value
         * LlcCalibrator#STEP_FRACTION} / (nBeta h + gamma) with h the top curvature at the centre).
         */
        public Builder stepSizes(double... stepSizes) {
            this.stepSizes = stepSizes.clone();
            return this;
        }

        /** Localizations to try (default: {@value LlcCalibrator#LOCALIZATION_FRACTION} nBeta h, 10 and 100 times it). */
        public Builder localizations(double... localizations) {
            this.localizations = localizations.clone();
            return this;
        }

        /** Relative agreement that makes a plateau (default 0.05). */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /**
         * Relative standard error each setting that may be compared runs to (default
         * {@value LlcCalibrator#ROW_TARGET}). The steps a setting takes grow as its inverse square: with a looser
         * tolerance, a looser target makes the sweep that much cheaper (0.09 takes about a ninth of the default's
         * steps); compared settings then agree within their larger errors only.
         */
        public Builder rowTarget(double rowTarget) {
            this.rowTarget = rowTarget;
            return this;
        }

        /** Largest acceptable R-hat (default 1.1). */
        public Builder maxRHat(double maxRHat) {
            this.maxRHat = maxRHat;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public LlcCalibrator build() {
            if (stepSizes != null) {
                Preconditions.checkArgument(stepSizes.length >= 1, "stepSizes must not be empty (got: 0 values)");
                for (double eps : stepSizes) {
                    Preconditions.checkArgument(Double.isFinite(eps) && eps > 0,
                            "stepSizes must be finite and > 0 (got: %s)", eps);
                }
            }
            if (localizations != null) {
                Preconditions.checkArgument(localizations.length >= 1,
                        "localizations must not be empty (got: 0 values)");
                for (double gamma : localizations) {
                    Preconditions.checkArgument(Double.isFinite(gamma) && gamma >= 0,
                            "localizations must be finite and >= 0 (got: %s)", gamma);
                }
            }
            Preconditions.checkArgument(base.chains() >= 2, "the base configuration needs >= 2 chains for R-hat (got: %s)",
                    base.chains());
            Preconditions.checkArgument(tolerance > 0 && tolerance < 1, "tolerance must be in (0, 1) (got: %s)", tolerance);
            Preconditions.checkArgument(rowTarget > 0 && rowTarget < 1, "rowTarget must be in (0, 1) (got: %s)",
                    rowTarget);
            Preconditions.checkArgument(maxRHat > 1, "maxRHat must be > 1 (got: %s)", maxRHat);
            return new LlcCalibrator(this);
        }
    }
}
