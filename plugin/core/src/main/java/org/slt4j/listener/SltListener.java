package org.slt4j.listener;

import com.google.common.base.Suppliers;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.slt4j.llc.ChainRunner;
import org.slt4j.llc.LlcCalibrator;
import org.slt4j.llc.LlcConfig;
import org.slt4j.symmetry.SymmetryScanner;

/**
 * LLC estimates, symmetry scans and events, and the training loss in one listener, with sensible defaults:
 *
 * <pre>{@code
 * SltListener slt = new SltListener.Builder(heldData, 60_000).async(true).build();
 * net.setListeners(slt);
 * net.fit(train, 5);
 * slt.close();
 * RunHistory run = slt.history();   // run.llc(), run.loss(), run.events() ...
 * }</pre>
 *
 * Defaults: LLC {@link Schedule#logSpaced(int) logSpaced(4)} with {@code LlcConfig} defaults; symmetry scans
 * {@link Schedule#everyNIterations(int) everyNIterations(500)} on the first 256 examples of the same data;
 * overhead budget 0.1, split between the diagnostics: the symmetry scans may use 20% of it and the LLC 80%, so
 * that the costly estimates cannot starve the cheap scans. Both share one background thread and the sinks. See
 * {@link DiagnosticsListener} for modes, the budget, failures and routing, and {@link LlcListener} and
 * {@link SymmetryListener} for the diagnostics.
 */
public final class SltListener extends DiagnosticsListener {
    private static final long serialVersionUID = 1L;

    private SltListener(ListenerSettings settings, List<Task> tasks, DiagnosticsListener origin) {
        super(settings, tasks, origin);
    }

    @Override
    SltListener newInstance(ListenerSettings settings, List<Task> tasks, DiagnosticsListener origin) {
        return new SltListener(settings, tasks, origin);
    }

    /** Builder for {@link SltListener}; validates at {@link #build()}. */
    public static final class Builder extends ListenerSettings.Builder<Builder> {
        private final LlcTask.Spec llc;
        private final SymmetryTask.Spec symmetry;

        /**
         * @param data            the listener's examples (SGLD data; the probe is its first examples), copied once
         *                        at build(); the iterator is reset before and after
         * @param trainingSetSize n, the number of examples the model trains on
         */
        public Builder(DataSetIterator data, long trainingSetSize) {
            this(Suppliers.memoize(() -> ListenerData.of(Objects.requireNonNull(data, "data")))::get,
                    trainingSetSize);
        }

        /** Same as the DataSetIterator constructor, for a ComputationGraph. */
        public Builder(MultiDataSetIterator data, long trainingSetSize) {
            this(Suppliers.memoize(() -> ListenerData.of(Objects.requireNonNull(data, "data")))::get,
                    trainingSetSize);
        }

        /** Same as the DataSetIterator constructor, with one data set. */
        public Builder(DataSet data, long trainingSetSize) {
            this(Suppliers.memoize(() -> ListenerData.of(Objects.requireNonNull(data, "data")))::get,
                    trainingSetSize);
        }

        private Builder(Supplier<ListenerData> data, long trainingSetSize) {
            this.llc = new LlcTask.Spec(data, trainingSetSize);
            this.symmetry = new SymmetryTask.Spec(data);
        }

        @Override
        Builder self() {
            return this;
        }

        /** When to estimate the LLC (default {@code logSpaced(4)}; {@link Schedule#never()} turns it off). */
        public Builder llcSchedule(Schedule schedule) {
            llc.schedule = Objects.requireNonNull(schedule, "llcSchedule");
            return this;
        }

        /** The LLC configuration; see {@link LlcListener.Builder#llcConfig(LlcConfig)}. */
        public Builder llcConfig(LlcConfig config) {
            llc.config = Objects.requireNonNull(config, "llcConfig");
            return this;
        }

        /**
         * Changes the calibrator's sweep, used when the LLC step size or localization is automatic (calibrated per
         * segment, see {@link LlcListener}); see {@link LlcListener.Builder#calibrator(UnaryOperator)}.
         */
        public Builder calibrator(UnaryOperator<LlcCalibrator.Builder> settings) {
            llc.calibratorSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Runs the SGLD chains of the LLC estimates and of their calibrations with the runner (on other machines,
         * for instance) instead of on the configuration's threads; the estimates are the same
         * ({@link ChainRunner}). Default: none, the chains run here.
         */
        public Builder chainRunner(ChainRunner runner) {
            llc.runner = Objects.requireNonNull(runner, "chainRunner");
            return this;
        }

        /** Also estimates each layer's restricted LLC; see {@link LlcListener.Builder#layerLlc(String...)}. */
        public Builder layerLlc(String... layerNames) {
            llc.layers = List.of(layerNames);
            return this;
        }

        /** When to scan for symmetries (default {@code everyNIterations(500)}; {@code never()} turns it off). */
        public Builder symmetrySchedule(Schedule schedule) {
            symmetry.schedule = Objects.requireNonNull(schedule, "symmetrySchedule");
            return this;
        }

        /** The symmetry scanner (default {@link SymmetryScanner#defaults()}). */
        public Builder scanner(SymmetryScanner scanner) {
            symmetry.scanner = Objects.requireNonNull(scanner, "scanner");
            return this;
        }

        /**
         * Computes the singular values (numerical, effective and stable rank) on every n-th scan only, starting
         * with the first; the other scans report ranks as -1/NaN, which the event tracker skips (default 1: every
         * scan). The spectrum is most of a scan's cost for wide layers (docs/benchmarks.md), so frequent scans of
         * wide networks can keep the ranks at a fraction of the cost. No effect if the scanner has spectra off.
         */
        public Builder spectraEvery(int scans) {
            symmetry.spectraEvery = scans;
            return this;
        }

        /** Consecutive scans a change must persist before it becomes an event (default 3). */
        public Builder persistence(int scans) {
            symmetry.persistence = scans;
            return this;
        }

        /** Examples of the data in the symmetry probe batch (default 256). */
        public Builder probeSize(int examples) {
            symmetry.probeSize = examples;
            return this;
        }

        /**
         * Validates and builds; copies the data once.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SltListener build() {
            ListenerSettings settings = settings(llc.trainingSetSize());
            return new SltListener(settings, List.of(llc.task(), symmetry.task()), null);
        }
    }
}
