package org.slt4j.cli;

import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.llc.LlcConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of a checkpoint curve besides where the checkpoints are: the CSV data, the estimator, the
 * calibration sweep and the per-layer estimates; a picocli mixin of {@code slt4j checkpoints} and of the Spark job
 * ({@code org.slt4j.spark.SparkCheckpoints}), which therefore take the same options and compute the same curve.
 */
public final class CurveOptions {

    @Mixin
    DataOptions data;

    @Mixin
    EstimatorOptions estimator;

    @Mixin
    CalibrationOptions sweep;

    @Option(names = "--layer-llc", split = ",", paramLabel = "LAYER,LAYER,...",
            description = "Also estimate each of these layers' restricted LLC (names or indices).")
    List<String> layers = List.of();

    /**
     * The curve of checkpoints of one run: reads the CSV data and prepares it with the first checkpoint (the
     * checkpoints of one run share the data pipeline, so the data is prepared once, with the first one's
     * normalizer), and checks every option against that model.
     *
     * @param firstCheckpoint the run's first checkpoint, a model zip on the local file system
     * @param sessionId       the session ID of the run's records
     * @param workerId        the worker ID of the run's records (the program that computes the curve)
     * @throws BadInputException if the data, the model or an option is invalid, naming what and why
     */
    public CheckpointCurve curve(Path firstCheckpoint, String sessionId, String workerId) {
        return curve(SavedModel.load(firstCheckpoint), sessionId, workerId);
    }

    /**
     * The same curve on data given as a DataSet instead of the CSV options (which are then not used): features and
     * labels as the CSV's would be read, before the model's normalizer, which prepares them.
     *
     * @throws BadInputException if the data, the model or an option is invalid, naming what and why
     */
    public CheckpointCurve curve(Path firstCheckpoint, DataSet data, String sessionId, String workerId) {
        return curve(SavedModel.load(firstCheckpoint), data, sessionId, workerId);
    }

    /** Same as the public one, with the first checkpoint already loaded. */
    CheckpointCurve curve(SavedModel first, String sessionId, String workerId) {
        return curve(first, data.read(), sessionId, workerId);
    }

    private CheckpointCurve curve(SavedModel first, DataSet raw, String sessionId, String workerId) {
        DataSet prepared = first.prepare(raw);
        first.checkLayers(layers);
        LlcConfig config = estimator.config(prepared.numExamples());
        sweep.settingsFor(config);
        return new CheckpointCurve(prepared, estimator, sweep, layers, sessionId, workerId);
    }
}
