package org.slt4j.llc;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slt4j.surface.LossSurface;

/**
 * Chooses the SGLD step size and localization for a surface instead of leaving them to hand-tuning.
 *
 * <p>For each localization gamma (ascending, since localization biases the LLC down) it runs short estimates
 * at step sizes from large to small and diagnoses each: diverged chains, split R-hat, drift (second-half minus
 * first-half mean of the per-draw estimates, relative to the estimate), the fraction of draws below the
 * baseline, a non-positive estimate. The recommendation is the largest stable step size whose estimate agrees
 * with the next smaller stable one within the relative tolerance (the plateau: large steps bias the LLC up,
 * too small ones do not equilibrate), at the smallest gamma that has such a plateau. Each gamma's sweep stops
 * five step sizes below its first stable one.
 *
 * <p>The short runs use the base configuration's nBeta, sampler, baseline, batch size, seed and threads with the
 * calibrator's own chain lengths. Immutable and thread-safe.
 */
public final class LlcCalibrator {
    /**
     * Smaller step sizes mix ever more slowly in chains of fixed length, so estimates keep falling below the first
     * stable step: a plateau that has not appeared this many steps below it will not appear further down.
     */
    private static final int MAX_STEPS_BELOW_FIRST_STABLE = 5;

    private final LlcConfig base;
    private final double[] stepSizes;
    private final double[] localizations;
    private final int chains;
    private final int burnInSteps;
    private final int draws;
    private final double tolerance;
    private final double maxRHat;
    private final double maxDrift;

    private LlcCalibrator(Builder b) {
        this.base = b.base;
        this.stepSizes = b.stepSizes.clone();
        Arrays.sort(stepSizes);
        reverse(stepSizes);
        this.localizations = b.localizations.clone();
        Arrays.sort(localizations);
        this.chains = b.chains;
        this.burnInSteps = b.burnInSteps;
        this.draws = b.draws;
        this.tolerance = b.tolerance;
        this.maxRHat = b.maxRHat;
        this.maxDrift = b.maxDrift;
    }

    /** Sweeps the grid on the surface and returns the table with the recommendation. */
    public Calibration calibrate(LossSurface surface) {
        Objects.requireNonNull(surface, "surface");
        long start = System.nanoTime();
        long steps = 0;
        List<Calibration.Row> rows = new ArrayList<>();
        for (double gamma : localizations) {
            Calibration.Row previous = null;
            int belowFirstStable = -1;
            for (double eps : stepSizes) {
                if (belowFirstStable >= MAX_STEPS_BELOW_FIRST_STABLE) {
                    break;
                }
                LlcConfig config = base.toBuilder().stepSize(eps).localization(gamma).chains(chains)
                        .burnInSteps(burnInSteps).draws(draws).stepsBetweenDraws(1).keepTraces(true).build();
                LlcEstimate estimate = new LlcEstimator(config).estimate(surface);
                steps += estimate.totalSteps();
                double drift = drift(estimate);
                String problem = problem(estimate, drift);
                boolean stable = problem == null;
                if (stable && previous != null && previous.stable()
                        && Math.abs(previous.llc() - estimate.mean()) <= tolerance * Math.abs(estimate.mean())) {
                    rows.set(rows.size() - 1, withVerdict(previous, "recommended"));
                    rows.add(Calibration.Row.of(eps, gamma, estimate, drift, true, "stable"));
                    String reason = String.format("largest stable step size whose estimate %.4g agrees with the next "
                            + "smaller step size's %.4g within %.0f%%, at the smallest localization with such a "
                            + "plateau", previous.llc(), estimate.mean(), 100 * tolerance);
                    return new Calibration(rows, base.toBuilder().stepSize(previous.stepSize())
                            .localization(gamma).build(), reason, Duration.ofNanos(System.nanoTime() - start), steps);
                }
                Calibration.Row row = Calibration.Row.of(eps, gamma, estimate, drift, stable,
                        stable ? (previous != null && previous.stable() ? "disagrees with the next smaller step"
                                : "stable") : problem);
                rows.add(row);
                previous = row;
                if (belowFirstStable >= 0 || stable) {
                    belowFirstStable++;
                }
            }
        }
        return new Calibration(rows, null, "no step size agreed with the next smaller one within "
                + Math.round(100 * tolerance) + "%: widen the grid, lengthen the calibration chains, or check that "
                + "the centre is a local minimum", Duration.ofNanos(System.nanoTime() - start), steps);
    }

    private static Calibration.Row withVerdict(Calibration.Row row, String verdict) {
        return new Calibration.Row(row.stepSize(), row.localization(), row.llc(), row.standardError(),
                row.divergedChains(), row.rHat(), row.drift(), row.fractionBelowBaseline(), row.stable(), verdict);
    }

    /** Why a setting is unusable, or null if it is stable. */
    private String problem(LlcEstimate estimate, double drift) {
        if (estimate.divergedChains() > 0) {
            return estimate.divergedChains() + " chains diverged";
        }
        if (!(estimate.mean() > 0)) {
            return "non-positive estimate";
        }
        if (estimate.fractionBelowBaseline() > 0.5) {
            return "most draws below the baseline";
        }
        if (estimate.rHat() > maxRHat) {
            return String.format("R-hat %.3f > %.2f", estimate.rHat(), maxRHat);
        }
        if (Math.abs(drift) > maxDrift) {
            return String.format("drift %.2f beyond %.2f", drift, maxDrift);
        }
        return null;
    }

    /** Mean over chains of (second-half mean - first-half mean) of the per-draw estimates, relative to the LLC. */
    static double drift(LlcEstimate estimate) {
        double sum = 0;
        int used = 0;
        double nBeta = estimate.config().nBeta();
        for (ChainResult chain : estimate.chains()) {
            double[] loss = chain.lossTrace();
            double[] baseline = chain.baselineTrace();
            int half = loss.length / 2;
            if (chain.diverged() || half == 0) {
                continue;
            }
            double first = 0;
            double second = 0;
            for (int i = 0; i < half; i++) {
                first += loss[i] - baseline[i];
                second += loss[half + i] - baseline[half + i];
            }
            sum += nBeta * (second - first) / half;
            used++;
        }
        return used == 0 || estimate.mean() == 0 ? Double.NaN : sum / used / Math.abs(estimate.mean());
    }

    private static void reverse(double[] values) {
        for (int i = 0, j = values.length - 1; i < j; i++, j--) {
            double t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** Builder for {@link LlcCalibrator}; defaults are listed on each setter. */
    public static final class Builder {
        private final LlcConfig base;
        private double[] stepSizes = logGrid(1e-2, 1e-7, 2);
        private double[] localizations = {1, 10, 100};
        private int chains = 4;
        private int burnInSteps = 300;
        private int draws = 500;
        private double tolerance = 0.05;
        private double maxRHat = 1.1;
        private double maxDrift = 0.2;

        /** A calibrator for the given base configuration (its nBeta, sampler, baseline, batch size, seed). */
        public Builder(LlcConfig base) {
            this.base = Objects.requireNonNull(base, "base config");
        }

        /** Step sizes to try (default 1e-2 down to 1e-7 in factors of 2). */
        public Builder stepSizes(double... stepSizes) {
            this.stepSizes = stepSizes.clone();
            return this;
        }

        /** Localizations to try (default 1, 10, 100). */
        public Builder localizations(double... localizations) {
            this.localizations = localizations.clone();
            return this;
        }

        /** Chains per setting (default 4). */
        public Builder chains(int chains) {
            this.chains = chains;
            return this;
        }

        /** Burn-in steps per setting (default 300). */
        public Builder burnInSteps(int burnInSteps) {
            this.burnInSteps = burnInSteps;
            return this;
        }

        /** Draws per chain per setting (default 500). */
        public Builder draws(int draws) {
            this.draws = draws;
            return this;
        }

        /** Relative agreement that makes a plateau (default 0.05). */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** Largest acceptable R-hat (default 1.1). */
        public Builder maxRHat(double maxRHat) {
            this.maxRHat = maxRHat;
            return this;
        }

        /** Largest acceptable relative drift between trace halves (default 0.2). */
        public Builder maxDrift(double maxDrift) {
            this.maxDrift = maxDrift;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public LlcCalibrator build() {
            Preconditions.checkArgument(stepSizes.length >= 2, "stepSizes must hold at least 2 values (got: %s)", stepSizes.length);
            for (double eps : stepSizes) {
                Preconditions.checkArgument(Double.isFinite(eps) && eps > 0, "stepSizes must be finite and > 0 (got: %s)", eps);
            }
            Preconditions.checkArgument(localizations.length >= 1, "localizations must not be empty (got: 0 values)");
            for (double gamma : localizations) {
                Preconditions.checkArgument(Double.isFinite(gamma) && gamma >= 0, "localizations must be finite and >= 0 (got: %s)",
                        gamma);
            }
            Preconditions.checkArgument(chains >= 2, "chains must be >= 2 for R-hat (got: %s)", chains);
            Preconditions.checkArgument(burnInSteps >= 0, "burnInSteps must be >= 0 (got: %s)", burnInSteps);
            Preconditions.checkArgument(draws >= 4, "draws must be >= 4 (got: %s)", draws);
            Preconditions.checkArgument(tolerance > 0 && tolerance < 1, "tolerance must be in (0, 1) (got: %s)", tolerance);
            Preconditions.checkArgument(maxRHat > 1, "maxRHat must be > 1 (got: %s)", maxRHat);
            Preconditions.checkArgument(maxDrift > 0, "maxDrift must be > 0 (got: %s)", maxDrift);
            return new LlcCalibrator(this);
        }

        private static double[] logGrid(double from, double to, double factor) {
            List<Double> values = new ArrayList<>();
            for (double v = from; v >= to * (1 - 1e-9); v /= factor) {
                values.add(v);
            }
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }

    }
}
