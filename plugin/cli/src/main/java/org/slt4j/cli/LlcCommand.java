package org.slt4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.llc.Calibration;
import org.slt4j.llc.LlcCalibrator;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.report.RecordJson;
import org.slt4j.surface.LossSurface;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slt4j llc}: the LLC of a saved model on CSV data. */
@Command(name = "llc", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Estimates the local learning coefficient (LLC) of a saved model on CSV data by SGLD.",
            "Progress goes to standard error; the result to standard output."})
final class LlcCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Mixin
    EstimatorOptions estimator;

    @Option(names = "--calibrate", description = "First choose --eps and --gamma with the calibrator (short runs"
            + " on a step-size grid at a few localizations; the table goes to standard error), then estimate with the"
            + " recommended settings. With --json the object also holds \"calibration\": the table, the chosen"
            + " settings and the reason. Without a recommendation the given settings are used, with a warning.")
    boolean calibrate;

    @Mixin
    CalibrationOptions sweep;

    @Option(names = "--json", description = "Print exactly one JSON object: the fields of an llc record"
            + " (docs/record-schema.md) plus stderr and diverged (count of diverged chains).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SavedModel saved = model.load();
        DataSet prepared = data.readFor(saved);
        LlcConfig config = estimator.config(prepared.numExamples());
        LlcCalibrator calibrator = calibrate ? sweep.calibrator(config) : null;
        LossSurface surface = saved.surface(prepared);
        PrintWriter err = spec.commandLine().getErr();
        Calibration calibration = null;
        if (calibrator != null) {
            err.printf("Calibrating step size and localization on %d rows...%n", prepared.numExamples());
            err.flush();
            calibration = calibrator.calibrate(surface);
            err.print(calibration.table());
            if (calibration.recommended().isPresent()) {
                config = calibration.recommended().get();
            } else {
                err.println("warning: no calibrated setting; estimating with the given --eps and --gamma");
            }
        }
        err.printf("Estimating the LLC of %s (%s, %d parameters%s) on %d rows: %d chains x %d steps%n",
                saved.file(), saved.kind(), saved.parameters(), saved.hasNormalizer() ? ", normalized" : "",
                prepared.numExamples(), config.chains(), config.stepsPerChain());
        err.flush();
        LlcEstimate estimate = new LlcEstimator(config).estimate(surface);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonObject o = toJson(estimate);
            if (calibration != null) {
                o.add("calibration", JsonParser.parseString(RecordJson.encode(calibration)));
            }
            out.print(o + System.lineSeparator());
        } else {
            out.print(Summaries.llc(estimate));
        }
        out.flush();
        return SltCli.EXIT_OK;
    }

    /** The record schema's estimate object, plus the short names scripts use for the key numbers. */
    static JsonObject toJson(LlcEstimate estimate) {
        JsonObject o = JsonParser.parseString(RecordJson.encode(estimate)).getAsJsonObject();
        o.add("stderr", o.get("standardError"));
        o.addProperty("diverged", estimate.divergedChains());
        return o;
    }
}
