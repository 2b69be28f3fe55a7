package org.slt4j.cli;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.listener.Schedule;
import org.slt4j.listener.SltListener;
import org.slt4j.llc.ChainRunner;
import org.slt4j.llc.LlcConfig;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.surface.LossSurface;
import org.slt4j.symmetry.SymmetryTracker;

/**
 * What {@code slt4j checkpoints} computes per checkpoint of a run, and everything it needs to: the data prepared
 * for the run's models, the estimator and calibration options, the per-layer estimates and the run's IDs. Made by
 * {@link CurveOptions#curve}. Serializable (the data travels as nd4j serializes arrays, exactly), so that a
 * distributed job ships it to workers that compute the same records as the command line: the LLC estimate at
 * iteration i uses the seed {@code --seed + i} wherever it runs.
 */
public final class CheckpointCurve implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Consecutive scans a symmetry change must persist before it becomes an event. */
    private static final int EVENT_PERSISTENCE = 3;

    private final DataSet prepared;
    private final EstimatorOptions estimator;
    private final CalibrationOptions sweep;
    private final List<String> layers;
    private final String sessionId;
    private final String workerId;

    CheckpointCurve(DataSet prepared, EstimatorOptions estimator, CalibrationOptions sweep, List<String> layers,
            String sessionId, String workerId) {
        this.prepared = prepared;
        this.estimator = estimator;
        this.sweep = sweep;
        this.layers = List.copyOf(layers);
        this.sessionId = sessionId;
        this.workerId = workerId;
    }

    /**
     * The listener that measures the checkpoints, writing to the sink: the training listeners' diagnostics (LLC,
     * per-layer LLC, symmetry scan and events), no loss schedule (the loss of a checkpoint is its score on the
     * data). Measure the checkpoints of a run with one listener, in iteration order ({@link #inIterationOrder}),
     * so that LLC calibration segments and symmetry events span the run; or each with its own listener, which
     * calibrates at that checkpoint and finds no events (see {@link #eventTracker()}).
     *
     * @throws BadInputException if the listener rejects an option
     */
    public SltListener listener(DiagnosticsSink sink) {
        return listener(sink, null);
    }

    /**
     * The same listener, whose LLC estimates and calibrations have their SGLD chains run by the runner (null: on
     * the listener's threads). A runner replays each chain on the surface {@link #surface} gives for the
     * checkpoint being measured; the records are the same as without one.
     *
     * @throws BadInputException if the listener rejects an option
     */
    public SltListener listener(DiagnosticsSink sink, ChainRunner runner) {
        LlcConfig config = estimator.config(prepared.numExamples());
        try {
            SltListener.Builder b = new SltListener.Builder(prepared,
                    config.trainingSetSize().orElse(prepared.numExamples()))
                    .llcConfig(config).calibrator(sweep.settingsFor(config))
                    .layerLlc(layers.toArray(String[]::new)).probeSize(prepared.numExamples())
                    .persistence(EVENT_PERSISTENCE).sessionId(sessionId).workerId(workerId).sink(sink)
                    .lossSchedule(Schedule.never());
            return (runner == null ? b : b.chainRunner(runner)).build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("invalid option: " + BadInputException.reason(e), e);
        }
    }

    /**
     * Loads the checkpoint's model and has the listener measure it: a loss record (its score on the data), then
     * the diagnostics' records, stamped with the checkpoint's iteration and epoch.
     *
     * @param file the checkpoint's model zip on the local file system
     * @throws BadInputException if the file is no readable model, or the model has no loss
     */
    public void measure(SltListener listener, Path file, Checkpoint checkpoint) {
        measure(listener, SavedModel.load(file), checkpoint);
    }

    /**
     * The loss surface the listener's LLC estimates sample at the checkpoint: its model on the prepared data, the
     * surface a {@link org.slt4j.llc.ChainPlan} of those estimates is replayed on.
     *
     * @param file the checkpoint's model zip on the local file system
     * @throws BadInputException if the file is no readable model, or the model has no loss
     */
    public LossSurface surface(Path file) {
        return SavedModel.load(file).surface(prepared);
    }

    /** Same as the public one, with the model already loaded. */
    void measure(SltListener listener, SavedModel model, Checkpoint checkpoint) {
        listener.measure(model.model(), checkpoint.getIteration(), checkpoint.getEpoch(), model.score(prepared));
    }

    /**
     * A tracker that finds the symmetry events the listener would find across the snapshots of a run: for records
     * of checkpoints measured each by its own listener, feed it their snapshots in iteration order.
     */
    public SymmetryTracker eventTracker() {
        return new SymmetryTracker.Builder().persistence(EVENT_PERSISTENCE).build();
    }

    /** The checkpoints in iteration order, then by checkpoint number: the order the curve is measured in. */
    public static List<Checkpoint> inIterationOrder(Collection<Checkpoint> checkpoints) {
        return checkpoints.stream().sorted(Comparator.comparingInt(Checkpoint::getIteration)
                .thenComparingInt(Checkpoint::getCheckpointNum)).toList();
    }
}
