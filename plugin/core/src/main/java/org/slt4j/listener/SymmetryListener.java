package org.slt4j.listener;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.slt4j.symmetry.SymmetryScanner;

/**
 * Scans the network for symmetries (dead, zero, duplicated units, ranks) during training, on a schedule, turns
 * successive scans into symmetry events, and records the training loss. Works with MultiLayerNetwork and
 * ComputationGraph. See {@link DiagnosticsListener} for modes, the overhead budget, failures and routing.
 *
 * <pre>{@code
 * SymmetryListener symmetry = new SymmetryListener.Builder(probeIterator)
 *         .symmetrySchedule(Schedule.everyNIterations(200))
 *         .sink(new CsvSink(Path.of("diagnostics"))).build();
 * }</pre>
 */
public final class SymmetryListener extends DiagnosticsListener {
    private static final long serialVersionUID = 1L;

    private SymmetryListener(ListenerSettings settings, List<Task> tasks, DiagnosticsListener origin) {
        super(settings, tasks, origin);
    }

    @Override
    SymmetryListener newInstance(ListenerSettings settings, List<Task> tasks, DiagnosticsListener origin) {
        return new SymmetryListener(settings, tasks, origin);
    }

    /** Builder for {@link SymmetryListener}; validates at {@link #build()}. */
    public static final class Builder extends ListenerSettings.Builder<Builder> {
        private final SymmetryTask.Spec symmetry;

        /** @param data probe examples: the features of the first {@link #probeSize(int)} are copied at build() */
        public Builder(DataSetIterator data) {
            Objects.requireNonNull(data, "data");
            this.symmetry = new SymmetryTask.Spec(() -> ListenerData.of(data));
        }

        /** @param data probe examples for a ComputationGraph (features of the first probeSize examples) */
        public Builder(MultiDataSetIterator data) {
            Objects.requireNonNull(data, "data");
            this.symmetry = new SymmetryTask.Spec(() -> ListenerData.of(data));
        }

        /** @param data probe examples (features of the first probeSize examples) */
        public Builder(DataSet data) {
            Objects.requireNonNull(data, "data");
            this.symmetry = new SymmetryTask.Spec(() -> ListenerData.of(data));
        }

        /** @param probeFeatures the probe batch, one features array per network input, copied at build() */
        public Builder(INDArray... probeFeatures) {
            this.symmetry = new SymmetryTask.Spec(probeFeatures);
        }

        @Override
        Builder self() {
            return this;
        }

        /** When to scan (default {@link Schedule#everyNIterations(int) everyNIterations(500)}). */
        public Builder symmetrySchedule(Schedule schedule) {
            symmetry.schedule = Objects.requireNonNull(schedule, "symmetrySchedule");
            return this;
        }

        /** The scanner (default {@link SymmetryScanner#defaults()}: default thresholds, spectra on). */
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

        /** Examples in the probe batch when taken from data (default 256). */
        public Builder probeSize(int examples) {
            symmetry.probeSize = examples;
            return this;
        }

        /**
         * Validates and builds; copies the probe.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SymmetryListener build() {
            ListenerSettings settings = settings(0);
            return new SymmetryListener(settings, List.of(symmetry.task()), null);
        }
    }
}
