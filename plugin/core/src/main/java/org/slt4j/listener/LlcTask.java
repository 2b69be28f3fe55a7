package org.slt4j.listener;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slt4j.llc.Calibration;
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
 * at iteration i uses the seed {@code config.seed() + i}, recorded in its config. Optionally the step size and
 * localization are calibrated on the first snapshot (then kept), and restricted estimates of single layers are
 * made beside the whole network's.
 */
final class LlcTask implements Task {
    private static final Logger log = LoggerFactory.getLogger(LlcTask.class);

    private final LlcConfig config;
    private final ListenerData data;
    private final Schedule schedule;
    private final Function<LlcConfig, Function<LossSurface, LlcEstimate>> estimators;
    private final boolean calibrate;
    private final UnaryOperator<LlcCalibrator.Builder> calibratorSettings;
    private final List<String> layers;
    /** The configuration in use: the given one, or the calibrated one after the first estimate. */
    private final AtomicReference<LlcConfig> current = new AtomicReference<>();
    /** Whether an estimate with warnings was logged at WARN already (later ones go to DEBUG). */
    private final AtomicBoolean warnedUntrusted = new AtomicBoolean();

    LlcTask(LlcConfig config, ListenerData data, Schedule schedule,
            Function<LlcConfig, Function<LossSurface, LlcEstimate>> estimators, boolean calibrate,
            UnaryOperator<LlcCalibrator.Builder> calibratorSettings, List<String> layers) {
        this.config = config;
        this.data = data;
        this.schedule = schedule;
        this.estimators = estimators;
        this.calibrate = calibrate;
        this.calibratorSettings = calibratorSettings;
        this.layers = List.copyOf(layers);
    }

    /** The real estimator. */
    static Function<LlcConfig, Function<LossSurface, LlcEstimate>> estimator() {
        return c -> new LlcEstimator(c)::estimate;
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
        settings.put("llc.calibrate", Boolean.toString(calibrate));
        if (!layers.isEmpty()) {
            settings.put("llc.layers", String.join(",", layers));
        }
    }

    @Override
    public Task fresh() {
        return new LlcTask(config, data, schedule, estimators, calibrate, calibratorSettings, layers);
    }

    @Override
    public Work snapshot(Model model, long iteration, int epoch) {
        LossSurface surface;
        Map<String, long[]> ranges = new LinkedHashMap<>();
        if (model instanceof MultiLayerNetwork net) {
            surface = NetworkSurfaces.of(net, data.asDataSet());
            layers.forEach(layer -> ranges.put(NetworkSurfaces.layerName(net, layer),
                    NetworkSurfaces.layerRange(net, layer)));
        } else if (model instanceof ComputationGraph graph) {
            surface = NetworkSurfaces.of(graph, List.of(data.asMultiDataSet()));
            layers.forEach(layer -> ranges.put(layer, NetworkSurfaces.layerRange(graph, layer)));
        } else {
            throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph (got: "
                    + model.getClass().getName() + ")");
        }
        return clock -> {
            LlcConfig base = configFor(surface);
            Function<LossSurface, LlcEstimate> estimator = estimators.apply(
                    base.toBuilder().seed(base.seed() + iteration).build());
            List<TrainingRecord> records = new ArrayList<>();
            LlcEstimate estimate = estimator.apply(surface);
            logIfUntrusted(estimate, iteration);
            records.add(LlcRecord.of(estimate, iteration, epoch, clock.instant()));
            for (Map.Entry<String, long[]> layer : ranges.entrySet()) {
                LossSurface block = surface.restrictTo(layer.getValue()[0], layer.getValue()[1]);
                records.add(new LlcRecord(iteration, epoch, clock.instant(), estimator.apply(block), layer.getKey()));
            }
            return records;
        };
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

    /** The configuration for this estimate: calibrated on the first surface when asked (once). */
    private LlcConfig configFor(LossSurface surface) {
        LlcConfig inUse = current.get();
        if (inUse != null) {
            return inUse;
        }
        LlcConfig chosen = config;
        if (calibrate) {
            Calibration calibration = calibratorSettings.apply(new LlcCalibrator.Builder(config)).build()
                    .calibrate(surface);
            if (calibration.recommended().isPresent()) {
                chosen = calibration.recommended().get();
                log.info("LLC calibration chose stepSize {} and localization {} ({} steps, {} ms):{}{}",
                        chosen.stepSize(), chosen.localization(), calibration.totalSteps(),
                        calibration.wallTime().toMillis(), System.lineSeparator(), calibration.table());
            } else {
                log.warn("LLC calibration found no stable setting; estimating with stepSize {} and localization {}:"
                        + "{}{}", config.stepSize(), config.localization(), System.lineSeparator(),
                        calibration.table());
            }
        }
        current.compareAndSet(null, chosen);
        return current.get();
    }

    /** The LLC settings of a listener builder, validated and turned into a task at build time. */
    static final class Spec {
        private final Supplier<ListenerData> data;
        private final long trainingSetSize;
        Schedule schedule = Schedule.logSpaced(4);
        LlcConfig config;
        Function<LlcConfig, Function<LossSurface, LlcEstimate>> estimators = estimator();
        boolean calibrate;
        UnaryOperator<LlcCalibrator.Builder> calibratorSettings = UnaryOperator.identity();
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
            return new LlcTask(resolved, data.get(), schedule, estimators, calibrate, calibratorSettings, layers);
        }
    }
}
