package org.slt4j.listener;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.slt4j.llc.LlcCalibrator;
import org.slt4j.llc.LlcConfig;
import org.slt4j.surface.NetworkSurfaces;

/**
 * Estimates the local learning coefficient during training, on a schedule, and records the training loss.
 * Works with MultiLayerNetwork and ComputationGraph. See {@link DiagnosticsListener} for modes, the overhead
 * budget, failures and routing.
 *
 * <pre>{@code
 * LlcListener llc = new LlcListener.Builder(llcData, 60_000)   // own data, training-set size n
 *         .llcSchedule(Schedule.logSpaced(4))
 *         .async(true)
 *         .sink(new JsonlSink(Path.of("run.jsonl")))
 *         .build();
 * net.setListeners(llc);
 * net.fit(trainIterator, 10);
 * llc.close();
 * }</pre>
 *
 * <p>The SGLD data is the listener's own: the examples given to the builder are copied once at {@code build()}
 * (a few hundred to a few thousand is typical), never the iterator {@code fit()} consumes. Each estimate samples
 * around the parameters at its scheduled iteration, with seed {@code config.seed() + iteration}.
 *
 * <p><b>Calibration in segments.</b> When the configuration's step size or localization is automatic (the default),
 * the listener calibrates them ({@link org.slt4j.llc.LlcEstimator#calibrate}) at the first estimate and reuses that
 * calibration for the next estimates, per-layer ones included: a <em>segment</em>. It calibrates again, starting a
 * new segment, after an estimate whose chains diverged, disagreed (split R-hat above 1.1) or were not stationary
 * after the burn-in, or whose calibration found no plateau (its estimates are flagged unreliable; this one only with
 * an automatic step size, as a sweep of one given step size cannot find a plateau); and at the
 * first estimate at or after 4 times the iteration the segment started at (iteration 4 for a segment started at
 * 0), so a few times per run at log-spaced iterations. A run calibrates at most 8 times; the last segment then lasts
 * to the end. Each calibration costs a few estimates: it runs as part of its estimate, so it counts against the
 * overhead budget and its failures are recorded like the estimate's. Each is logged at INFO with its table; every
 * LLC record carries its {@link org.slt4j.report.LlcRecord#segment() segment} number and the settings it used.
 * To sample without calibration, set both the step size and the localization in {@link Builder#llcConfig(LlcConfig)}.
 */
public final class LlcListener extends DiagnosticsListener {
    private static final long serialVersionUID = 1L;

    private LlcListener(ListenerSettings settings, List<Task> tasks, DiagnosticsListener origin) {
        super(settings, tasks, origin);
    }

    @Override
    LlcListener newInstance(ListenerSettings settings, List<Task> tasks, DiagnosticsListener origin) {
        return new LlcListener(settings, tasks, origin);
    }

    /** Builder for {@link LlcListener}; validates at {@link #build()}. */
    public static final class Builder extends ListenerSettings.Builder<Builder> {
        private final LlcTask.Spec llc;

        /**
         * @param data            the estimation examples for a MultiLayerNetwork (or a one-input, one-output
         *                        ComputationGraph), copied at build(); the iterator is reset before and after
         * @param trainingSetSize n, the number of examples the model trains on (nBeta = n / ln n)
         */
        public Builder(DataSetIterator data, long trainingSetSize) {
            Objects.requireNonNull(data, "data");
            this.llc = new LlcTask.Spec(() -> ListenerData.of(data), trainingSetSize);
        }

        /**
         * @param data            the estimation examples for a ComputationGraph, copied at build()
         * @param trainingSetSize n, the number of examples the model trains on
         */
        public Builder(MultiDataSetIterator data, long trainingSetSize) {
            Objects.requireNonNull(data, "data");
            this.llc = new LlcTask.Spec(() -> ListenerData.of(data), trainingSetSize);
        }

        /**
         * @param data            the estimation examples, copied at build()
         * @param trainingSetSize n, the number of examples the model trains on
         */
        public Builder(DataSet data, long trainingSetSize) {
            Objects.requireNonNull(data, "data");
            this.llc = new LlcTask.Spec(() -> ListenerData.of(data), trainingSetSize);
        }

        @Override
        Builder self() {
            return this;
        }

        /** When to estimate (default {@link Schedule#logSpaced(int) logSpaced(4)}). */
        public Builder llcSchedule(Schedule schedule) {
            llc.schedule = Objects.requireNonNull(schedule, "llcSchedule");
            return this;
        }

        /**
         * The estimator's configuration (default: {@code new LlcConfig.Builder().trainingSetSize(n).build()}). If it
         * has a training-set size, it must be the listener's; one built with an explicit nBeta is used as is.
         */
        public Builder llcConfig(LlcConfig config) {
            llc.config = Objects.requireNonNull(config, "llcConfig");
            return this;
        }

        /**
         * Also estimates, at every scheduled iteration, the restricted LLC of each of these layers alone (its
         * parameters sampled, the others held at the snapshot), recorded as LLC records with their layer name,
         * so it shows which layer is becoming degenerate. Names or indices as in {@link NetworkSurfaces#layerRange};
         * records carry the name that symmetry scans use ({@link NetworkSurfaces#layerName}, e.g. "layer0").
         */
        public Builder layerLlc(String... layerNames) {
            llc.layers = List.of(layerNames);
            return this;
        }

        /**
         * Changes the calibrator's sweep (step sizes, localizations, tolerance) used when the step size or
         * localization is automatic: the function receives the calibrator's builder on the listener's configuration
         * and returns it changed, e.g. {@code b -> b.stepSizes(1e-3, 1e-4, 1e-5)}. Its settings are validated at the
         * first estimate.
         */
        public Builder calibrator(UnaryOperator<LlcCalibrator.Builder> settings) {
            llc.calibratorSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Replaces the estimator and calibrator (tests inject faults, delays and counted calibrations with it). */
        Builder estimator(Function<LlcConfig, LlcTask.Estimator> estimators) {
            llc.estimators = Objects.requireNonNull(estimators, "estimators");
            return this;
        }

        /**
         * Validates and builds; copies the data.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public LlcListener build() {
            ListenerSettings settings = settings(llc.trainingSetSize());
            return new LlcListener(settings, List.of(llc.task()), null);
        }
    }
}
