package org.slt4j.listener;

import com.google.common.base.Preconditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slt4j.llc.Calibration;
import org.slt4j.llc.ChainRunner;
import org.slt4j.llc.LlcCalibrator;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.TrainingRecord;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;

/**
 * The LLC diagnostic: the loss surface built at the scheduled iteration is the parameter snapshot; the estimate
 * at iteration i uses the seed {@code config.seed() + i}, recorded in its config. Restricted estimates of single
 * layers are made beside the whole network's.
 *
 * <p><b>Segments.</b> When the step size or localization is automatic, the estimates are grouped into segments: the
 * first estimate of a segment calibrates them on its snapshot ({@link LlcEstimator#calibrate}), and every estimate of
 * the segment, per-layer ones included, samples with that calibration ({@link LlcEstimator#estimate(LossSurface,
 * Calibration)}); calibrating at every estimate would cost several estimates each time. A new segment starts
 * <ul>
 *   <li>at the first estimate;</li>
 *   <li>after an estimate of the whole network whose chains say the landscape moved away from the calibration:
 *       diverged chains, split R-hat above {@value #MAX_R_HAT}, traces not stationary after the burn-in, or a
 *       calibration that found no plateau (its fallback settings; only with an automatic step size, since a sweep
 *       of the one given step size cannot find one);</li>
 *   <li>when the iteration is at least {@value #RECALIBRATION_FACTOR} times the iteration the segment started at
 *       (at least {@value #RECALIBRATION_FACTOR} for a segment started at iteration 0), so a few times per run at
 *       log-spaced iterations;</li>
 * </ul>
 * but never more than {@value #MAX_CALIBRATIONS} times per run (the last segment then lasts to the end). Records
 * carry their segment's number. The calibration runs inside the task's work, so its time counts against the
 * overhead budget and its failures are isolated like the estimate's (a failed calibration counts towards the cap).
 *
 * <p><b>Allowance.</b> Under a limited overhead budget a run gets what the budget still allows when it starts
 * ({@link Task.Work#run}), as a time limit on its calibration and estimates ({@link LlcConfig#timeLimit()}, the least
 * of it and the configuration's own): a calibration that runs out of it uses its fallback settings (flagged), and an
 * estimate's automatic burn-in and draws stop, so one costly run cannot take the training past its budget. It
 * overshoots by what cannot be cut: the first, unpaced burn-in round of the setting or estimate that was running, and
 * a burn-in or draws the configuration sets (in {@code ListenerOverheadBenchmark 400 1}, a calibration allowed 20.2 s
 * took 22.0 s). Such estimates are flagged and marked not reproducible, and the run counts as cut: the budget
 * predicts the next at twice its cost, so the next waits until it can have twice the time.
 */
final class LlcTask implements Task {
    private static final Logger log = LoggerFactory.getLogger(LlcTask.class);

    /** Most calibrations in one run: each costs a few estimates. */
    static final int MAX_CALIBRATIONS = 8;
    /** A segment started at iteration s is recalibrated at the first estimate at or after this times s. */
    static final int RECALIBRATION_FACTOR = 4;
    /** Split R-hat above this means the chains disagree: the calibration may no longer fit. */
    static final double MAX_R_HAT = 1.1;

    private final LlcConfig config;
    private final ListenerData data;
    private final Schedule schedule;
    private final Function<LlcConfig, Estimator> estimators;
    private final List<String> layers;
    private final boolean calibrating;
    /** The current segment, why the next estimate needs a new one, calibrations made; guarded by this task. */
    private Segment segment;
    private String recalibrate;
    private int calibrations;
    private boolean capLogged;
    /** Whether an estimate with warnings was logged at WARN already (later ones go to DEBUG). */
    private final AtomicBoolean warnedUntrusted = new AtomicBoolean();

    LlcTask(LlcConfig config, ListenerData data, Schedule schedule, Function<LlcConfig, Estimator> estimators,
            List<String> layers) {
        this.config = config;
        this.data = data;
        this.schedule = schedule;
        this.estimators = estimators;
        this.layers = List.copyOf(layers);
        this.calibrating = config.stepSize().isEmpty() || config.localization().isEmpty();
    }

    /**
     * What the task needs of an estimator: {@link LlcEstimator} with the listener's calibrator settings, or what a
     * test injects (faults, delays, counted calibrations).
     */
    interface Estimator {
        /** Calibrates the step size and localization on the surface (called only when one is automatic). */
        Calibration calibrate(LossSurface surface);

        /** Estimates with the calibration's settings, or with the configuration's when it is null. */
        LlcEstimate estimate(LossSurface surface, Calibration calibration);

        /**
         * The fewest SGLD steps of a calibration and estimate ({@link LlcEstimator#fewestSteps()}), or 0 when not
         * known (then the budget has nothing to predict the first estimate from, and lets it run).
         */
        default long fewestSteps() {
            return 0;
        }
    }

    /** The real estimator, calibrating with the given settings. */
    static Function<LlcConfig, Estimator> estimator(UnaryOperator<LlcCalibrator.Builder> calibratorSettings,
            ChainRunner runner) {
        return c -> {
            LlcEstimator estimator = runner == null ? new LlcEstimator(c, calibratorSettings)
                    : new LlcEstimator(c, calibratorSettings, runner);
            return new Estimator() {
                @Override
                public Calibration calibrate(LossSurface surface) {
                    return estimator.calibrate(surface);
                }

                @Override
                public LlcEstimate estimate(LossSurface surface, Calibration calibration) {
                    return calibration == null ? estimator.estimate(surface) : estimator.estimate(surface,
                            calibration);
                }

                @Override
                public long fewestSteps() {
                    return estimator.fewestSteps();
                }
            };
        };
    }

    /** A calibration and the estimates that use it. */
    private record Segment(int number, long start, Calibration calibration) {
    }

    @Override
    public Diagnostic kind() {
        return Diagnostic.LLC;
    }

    @Override
    public Schedule schedule() {
        return schedule;
    }

    @Override
    public int threads() {
        return Math.min(config.threads(), config.chains());
    }

    @Override
    public void describe(Map<String, String> settings) {
        settings.put("llc.schedule", schedule.toString());
        settings.put("llc.config", config.toString());
        settings.put("llc.dataSize", Long.toString(data.size()));
        settings.put("llc.calibration", calibrating ? "per segment (at most " + MAX_CALIBRATIONS + " per run)"
                : "none (stepSize and localization set)");
        if (!layers.isEmpty()) {
            settings.put("llc.layers", String.join(",", layers));
        }
    }

    @Override
    public Task fresh() {
        return new LlcTask(config, data, schedule, estimators, layers);
    }

    /**
     * The fewest SGLD steps of the first estimate ({@link Estimator#fewestSteps()}: its calibration, when one is due,
     * and the whole network's estimate; the per-layer estimates are left out) times an SGLD step timed at the model's
     * parameters ({@link LlcEstimator#stepTime}), on the task's threads. A lower bound: automatic chains run until
     * their standard error, a calibration until it finds a plateau, and each setting measures the curvature where its
     * chains ended; an estimate often costs several times more.
     */
    @Override
    public Cost leastFirstRunCost(Model model) {
        long steps = estimators.apply(config).fewestSteps();
        if (steps <= 0) {
            return Cost.UNKNOWN;
        }
        Duration step = new LlcEstimator(config).stepTime(surface(model, new LinkedHashMap<>()));
        return new Cost(step.multipliedBy(steps).dividedBy(threads()), String.format("the first estimate's fewest "
                + "SGLD steps, %d%s, times %.3f ms per step, on %d thread(s)", steps,
                calibrating ? " with its calibration" : "", step.toNanos() / 1e6, threads()));
    }

    @Override
    public Work snapshot(Model model, long iteration, int epoch) {
        Map<String, long[]> ranges = new LinkedHashMap<>();
        LossSurface surface = surface(model, ranges);
        return (clock, allowance) -> {
            Instant start = clock.instant();
            LlcConfig seeded = config.toBuilder().seed(config.seed() + iteration).build();
            // Each calibration and estimate gets what is left of the allowance when it starts.
            Supplier<Estimator> estimator = () -> estimators.apply(withTimeLeft(seeded, allowance, clock, start));
            Segment current = segmentAt(estimator.get(), surface, iteration);
            Calibration calibration = current == null ? null : current.calibration();
            int number = current == null ? 0 : current.number();
            List<TrainingRecord> records = new ArrayList<>();
            LlcEstimate estimate = estimator.get().estimate(surface, calibration);
            boolean drawsCut = timeLimited(estimate);
            logIfUntrusted(estimate, iteration);
            if (current != null) {
                landscapeChanged(estimate, calibration);
            }
            records.add(new LlcRecord(iteration, epoch, clock.instant(), estimate, null, number));
            for (Map.Entry<String, long[]> layer : ranges.entrySet()) {
                LossSurface block = surface.restrictTo(layer.getValue()[0], layer.getValue()[1]);
                LlcEstimate restricted = estimator.get().estimate(block, calibration);
                drawsCut |= timeLimited(restricted);
                records.add(new LlcRecord(iteration, epoch, clock.instant(), restricted, layer.getKey(), number));
            }
            boolean calibrationCut = current != null && current.start() == iteration && calibration.chosen()
                    .timeLimit().filter(limit -> calibration.wallTime().compareTo(limit) >= 0).isPresent();
            return new Result(records, allowance.isPresent() && (calibrationCut || drawsCut));
        };
    }

    private static boolean timeLimited(LlcEstimate estimate) {
        return estimate.tuning().drawsStop() == LlcEstimate.DrawsStop.TIME_LIMIT;
    }

    /**
     * The configuration with a time limit of what is left now of the allowance given at {@code start} (at least
     * {@link OverheadBudget#MIN_ALLOWANCE}), or its own limit if that is shorter; unchanged without an allowance.
     */
    private static LlcConfig withTimeLeft(LlcConfig config, Optional<Duration> allowance, Clock clock,
            Instant start) {
        if (allowance.isEmpty()) {
            return config;
        }
        Duration left = allowance.get().minus(Duration.between(start, clock.instant()));
        if (left.compareTo(OverheadBudget.MIN_ALLOWANCE) < 0) {
            left = OverheadBudget.MIN_ALLOWANCE;
        }
        Duration own = config.timeLimit().orElse(left);
        return config.toBuilder().timeLimit(own.compareTo(left) < 0 ? own : left).build();
    }

    /** The model's loss surface on the listener's data; puts the ranges of the layers to estimate in {@code ranges}. */
    private LossSurface surface(Model model, Map<String, long[]> ranges) {
        if (model instanceof MultiLayerNetwork net) {
            layers.forEach(layer -> ranges.put(NetworkSurfaces.layerName(net, layer),
                    NetworkSurfaces.layerRange(net, layer)));
            return NetworkSurfaces.of(net, data.asDataSet());
        }
        if (model instanceof ComputationGraph graph) {
            layers.forEach(layer -> ranges.put(layer, NetworkSurfaces.layerRange(graph, layer)));
            return NetworkSurfaces.of(graph, List.of(data.asMultiDataSet()));
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph (got: "
                + model.getClass().getName() + ")");
    }

    /**
     * The segment of an estimate at this iteration: the current one, or a new one calibrated on this surface when
     * one is due and the cap allows. Null when nothing is automatic (no calibration, segment 0).
     *
     * @throws IllegalStateException when the cap is reached and no calibration ever succeeded
     */
    private synchronized Segment segmentAt(Estimator estimator, LossSurface surface, long iteration) {
        if (!calibrating) {
            return null;
        }
        String why = segment == null ? "first estimate"
                : recalibrate != null ? recalibrate
                : iteration >= RECALIBRATION_FACTOR * Math.max(segment.start(), 1)
                        ? String.format("iteration %d >= %d x %d, where the segment started", iteration,
                                RECALIBRATION_FACTOR, segment.start())
                        : null;
        if (why == null) {
            return segment;
        }
        if (calibrations >= MAX_CALIBRATIONS) {
            Preconditions.checkState(segment != null, "no LLC calibration succeeded in the %s this run may make",
                    MAX_CALIBRATIONS);
            if (!capLogged) {
                capLogged = true;
                log.info("slt4j: not recalibrating the LLC settings at iteration {} ({}): the run calibrated {} "
                        + "times, the most it may; segment {} goes on to the end", iteration, why, MAX_CALIBRATIONS,
                        segment.number());
            }
            recalibrate = null;
            return segment;
        }
        calibrations++;
        Calibration calibration = estimator.calibrate(surface);
        recalibrate = null;
        segment = new Segment(segment == null ? 0 : segment.number() + 1, iteration, calibration);
        LlcConfig chosen = calibration.chosen();
        log.info("slt4j: LLC calibration {} at iteration {} ({}) {} stepSize {} and localization {} ({} steps, {} ms)"
                + ":{}{}", segment.number(), iteration, why, calibration.recommended().isPresent() ? "chose"
                : "found no plateau; falling back to", chosen.stepSize().orElse(Double.NaN),
                chosen.localization().orElse(Double.NaN), calibration.totalSteps(), calibration.wallTime().toMillis(),
                System.lineSeparator(), calibration.table());
        return segment;
    }

    /** Notes whether the whole network's estimate asks for a new segment at the next estimate. */
    private synchronized void landscapeChanged(LlcEstimate estimate, Calibration calibration) {
        List<String> reasons = new ArrayList<>();
        // With the step size given, the sweep has one step size and can never find a plateau: no use repeating it.
        if (calibration != null && calibration.recommended().isEmpty() && config.stepSize().isEmpty()) {
            reasons.add("the calibration found no plateau");
        }
        if (estimate.divergedChains() > 0) {
            reasons.add(estimate.divergedChains() + " of its chains diverged");
        }
        if (estimate.rHat() > MAX_R_HAT) {
            reasons.add(String.format("its R-hat %.3f > %s", estimate.rHat(), MAX_R_HAT));
        }
        if (!estimate.tuning().stationary()) {
            reasons.add("its traces were not stationary after the burn-in");
        }
        if (!reasons.isEmpty()) {
            recalibrate = "after the previous estimate: " + String.join(", ", reasons);
        }
    }

    /**
     * An estimate with warnings (diverged chains, high R-hat, draws below the baseline, ...) is still recorded, with
     * its warnings; the first one is also logged at WARN so that a user who reads only the log learns of it.
     */
    private void logIfUntrusted(LlcEstimate estimate, long iteration) {
        if (estimate.warnings().isEmpty()) {
            return;
        }
        if (warnedUntrusted.compareAndSet(false, true)) {
            log.warn("slt4j: the LLC estimate at iteration {} ({}) cannot be trusted: {} (its record carries these "
                    + "warnings; later such estimates are logged at DEBUG)", iteration, estimate.mean(),
                    String.join("; ", estimate.warnings()));
        } else {
            log.debug("slt4j: the LLC estimate at iteration {} ({}) cannot be trusted: {}", iteration,
                    estimate.mean(), String.join("; ", estimate.warnings()));
        }
    }

    /** The LLC settings of a listener builder, validated and turned into a task at build time. */
    static final class Spec {
        private final Supplier<ListenerData> data;
        private final long trainingSetSize;
        Schedule schedule = Schedule.logSpaced(4);
        LlcConfig config;
        /** The estimator; null for the real one with {@link #calibratorSettings}. */
        Function<LlcConfig, Estimator> estimators;
        UnaryOperator<LlcCalibrator.Builder> calibratorSettings = UnaryOperator.identity();
        /** Where the chains run; null for the estimator's own threads. */
        ChainRunner runner;
        List<String> layers = List.of();

        Spec(Supplier<ListenerData> data, long trainingSetSize) {
            this.data = Objects.requireNonNull(data, "data");
            this.trainingSetSize = trainingSetSize;
        }

        long trainingSetSize() {
            return trainingSetSize;
        }

        LlcTask task() {
            Preconditions.checkArgument(trainingSetSize >= 2, "trainingSetSize must be >= 2 (got: %s)",
                    trainingSetSize);
            LlcConfig resolved = config != null ? config
                    : new LlcConfig.Builder().trainingSetSize(trainingSetSize).build();
            Preconditions.checkArgument(resolved.trainingSetSize().orElse(trainingSetSize) == trainingSetSize,
                    "config trainingSetSize must equal the listener's trainingSetSize %s (got: %s)", trainingSetSize,
                    resolved.trainingSetSize().orElse(0));
            return new LlcTask(resolved, data.get(), schedule,
                    estimators != null ? estimators : estimator(calibratorSettings, runner), layers);
        }
    }
}
