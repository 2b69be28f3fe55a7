package org.slt4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.llc.Calibration;
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
            "The step size (--eps), localization (--gamma), burn-in and draws are automatic unless given: a "
                + "calibration chooses the step size and localization (its table goes to standard error), the "
                + "burn-in lasts until the loss traces are stationary, and the draws continue until the standard "
                + "error is --target-error of the estimate or a chain reaches --max-steps-per-chain. A given value "
                + "is used exactly. The result says whether it is reliable; an UNRELIABLE estimate is printed with "
                + "its warnings (with --strict it also exits with 1).",
            "Progress goes to standard error; the result to standard output."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the estimate (reliable, or any estimate without --strict)",
            "1:with --strict: the estimate is unreliable (it is printed all the same)",
            "2:bad input (file, option or data)", "3:internal error"})
final class LlcCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Mixin
    EstimatorOptions estimator;

    @Mixin
    CalibrationOptions sweep;

    @Option(names = "--json", description = "Print exactly one JSON object: the fields of an llc record"
            + " (docs/record-schema.md, with \"reliable\", \"warnings\" and \"tuning\") plus stderr and diverged"
            + " (count of diverged chains), and \"calibration\" (the table, the choice and the reason) when a"
            + " calibration ran.")
    boolean json;

    @Option(names = "--strict", description = "Exit with 1 when the estimate is unreliable (after printing it as "
            + "usual), for scripts and CI; without it an unreliable estimate exits with 0.")
    boolean strict;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SavedModel saved = model.load();
        DataSet prepared = data.readFor(saved);
        LlcConfig config = estimator.config(prepared.numExamples());
        LlcEstimator llc = new LlcEstimator(config, sweep.settingsFor(config));
        LossSurface surface = saved.surface(prepared);
        PrintWriter err = spec.commandLine().getErr();
        err.printf("Estimating the LLC of %s (%s, %d parameters%s) on %d rows: %d chains, %s%n", saved.file(),
                saved.kind(), saved.parameters(), saved.hasNormalizer() ? ", normalized" : "",
                prepared.numExamples(), config.chains(), automatic(config));
        Calibration calibration = null;
        if (CalibrationOptions.calibrates(config)) {
            err.printf("Calibrating the step size and localization on %d rows...%n", prepared.numExamples());
            err.flush();
            calibration = llc.calibrate(surface);
            err.print(calibration.table());
            if (calibration.recommended().isEmpty()) {
                err.println("warning: no calibrated setting; estimating with the calibration's fallback (the "
                        + "estimate will be unreliable)");
            }
        }
        err.flush();
        LlcEstimate estimate = calibration != null ? llc.estimate(surface, calibration) : llc.estimate(surface);
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
        return strict && !estimate.isReliable() ? SltCli.EXIT_UNRELIABLE : SltCli.EXIT_OK;
    }

    /** Which settings the estimator will choose, for the progress line. */
    private static String automatic(LlcConfig config) {
        Set<LlcConfig.Setting> automatic = config.automatic();
        if (automatic.isEmpty()) {
            return "every setting given";
        }
        return "automatic: " + automatic.stream().sorted().map(LlcCommand::name).collect(Collectors.joining(", "))
                + " (at most " + config.maxStepsPerChain()
                + " steps per chain" + config.timeLimit().map(t -> ", time limit " + t).orElse("") + ")";
    }

    private static String name(LlcConfig.Setting setting) {
        return switch (setting) {
            case STEP_SIZE -> "step size";
            case LOCALIZATION -> "localization";
            case BURN_IN_STEPS -> "burn-in";
            case DRAWS -> "draws";
        };
    }

    /** The record schema's estimate object, plus the short names scripts use for the key numbers. */
    static JsonObject toJson(LlcEstimate estimate) {
        JsonObject o = JsonParser.parseString(RecordJson.encode(estimate)).getAsJsonObject();
        o.add("stderr", o.get("standardError"));
        o.addProperty("diverged", estimate.divergedChains());
        return o;
    }
}
