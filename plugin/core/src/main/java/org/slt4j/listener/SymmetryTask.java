package org.slt4j.listener;

import com.google.common.base.Preconditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.EventRecord;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.report.TrainingRecord;
import org.slt4j.symmetry.SymmetryEvent;
import org.slt4j.symmetry.SymmetryScanner;
import org.slt4j.symmetry.SymmetrySnapshot;
import org.slt4j.symmetry.SymmetryTracker;

/**
 * The symmetry diagnostic: a private copy of the network (configuration plus detached parameters) is the
 * snapshot; the scan and the event tracker run on it. Work items run one at a time in schedule order (the
 * listener's single background thread, or the training thread), which the tracker needs.
 */
final class SymmetryTask implements Task {
    private final SymmetryScanner scanner;
    private final SymmetryScanner withoutSpectra;
    private final INDArray[] probe;
    private final Schedule schedule;
    private final int persistence;
    private final int spectraEvery;
    private final SymmetryTracker tracker;
    private long scans;

    SymmetryTask(SymmetryScanner scanner, INDArray[] probe, Schedule schedule, int persistence, int spectraEvery) {
        this.scanner = scanner;
        this.withoutSpectra = new SymmetryScanner.Builder().thresholds(scanner.thresholds()).spectra(false).build();
        this.probe = probe;
        this.schedule = schedule;
        this.persistence = persistence;
        this.spectraEvery = spectraEvery;
        this.tracker = new SymmetryTracker.Builder().persistence(persistence).build();
    }

    @Override
    public Diagnostic kind() {
        return Diagnostic.SYMMETRY;
    }

    @Override
    public Schedule schedule() {
        return schedule;
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void describe(Map<String, String> settings) {
        settings.put("symmetry.schedule", schedule.toString());
        settings.put("symmetry.thresholds", scanner.thresholds().toString());
        settings.put("symmetry.probeSize", Long.toString(probe[0].size(0)));
        settings.put("symmetry.persistence", Integer.toString(persistence));
        settings.put("symmetry.spectra", scanner.spectra() ? "every " + spectraEvery + " scan(s)" : "off");
    }

    @Override
    public Task fresh() {
        return new SymmetryTask(scanner, probe, schedule, persistence, spectraEvery);
    }

    @Override
    public Work snapshot(Model model, long iteration, int epoch) {
        // Snapshots are taken in schedule order on the training thread, so the count is the scan's position.
        SymmetryScanner thisScan = scans++ % spectraEvery == 0 ? scanner : withoutSpectra;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (model instanceof MultiLayerNetwork net) {
                MultiLayerNetwork copy = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
                copy.init(net.params().dup(), false);
                return (clock, allowance) -> records(clock, () -> thisScan.scan(copy, probe[0], iteration), epoch);
            }
            if (model instanceof ComputationGraph graph) {
                ComputationGraph copy = new ComputationGraph(graph.getConfiguration().clone());
                copy.init(graph.params().dup(), false);
                return (clock, allowance) -> records(clock, () -> thisScan.scan(copy, probe, iteration), epoch);
            }
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph (got: "
                + model.getClass().getName() + ")");
    }

    /** A scan is never cut short: it is cheap, and its cost predicts the next. */
    private Result records(Clock clock, Supplier<SymmetrySnapshot> scan, int epoch) {
        Instant start = clock.instant();
        SymmetrySnapshot snapshot = scan.get();
        Instant end = clock.instant();
        List<TrainingRecord> records = new ArrayList<>();
        records.add(new SymmetryRecord(epoch, end, Duration.between(start, end), snapshot));
        for (SymmetryEvent event : tracker.update(snapshot)) {
            records.add(new EventRecord(epoch, end, event));
        }
        return new Result(records, false);
    }

    /** The symmetry settings of a listener builder, validated and turned into a task at build time. */
    static final class Spec {
        private final Supplier<ListenerData> data;
        private final INDArray[] probeFeatures;
        Schedule schedule = Schedule.everyNIterations(500);
        SymmetryScanner scanner = SymmetryScanner.defaults();
        int persistence = 3;
        int spectraEvery = 1;
        int probeSize = 256;

        /** Probes taken from the listener's data. */
        Spec(Supplier<ListenerData> data) {
            this.data = Objects.requireNonNull(data, "data");
            this.probeFeatures = null;
        }

        /** Explicit probe features, one array per network input. */
        Spec(INDArray[] probeFeatures) {
            Preconditions.checkArgument(probeFeatures != null && probeFeatures.length > 0,
                    "probeFeatures must hold one array per network input (got: none)");
            this.data = null;
            this.probeFeatures = probeFeatures;
        }

        SymmetryTask task() {
            Preconditions.checkArgument(probeSize >= 1, "probeSize must be >= 1 (got: %s)", probeSize);
            Preconditions.checkArgument(persistence >= 1, "persistence must be >= 1 (got: %s)", persistence);
            Preconditions.checkArgument(spectraEvery >= 1, "spectraEvery must be >= 1 (got: %s)", spectraEvery);
            INDArray[] probe;
            if (probeFeatures != null) {
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    probe = new INDArray[probeFeatures.length];
                    for (int i = 0; i < probe.length; i++) {
                        probe[i] = Objects.requireNonNull(probeFeatures[i], "probeFeatures[" + i + "]").dup();
                    }
                }
            } else {
                probe = data.get().probe(probeSize);
            }
            return new SymmetryTask(scanner, probe, schedule, persistence, spectraEvery);
        }
    }
}
