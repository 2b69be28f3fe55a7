package org.slt4j.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.report.RecordJson;
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

    @Option(names = "--json", description = "Print exactly one JSON object: the fields of an llc record"
            + " (docs/record-schema.md) plus stderr and diverged (count of diverged chains).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SavedModel saved = model.load();
        DataSet prepared = data.readFor(saved);
        // The settings are final here: a step-size calibration (llc --calibrate) would adjust them at this point.
        LlcConfig config = estimator.config(prepared.numExamples());
        PrintWriter err = spec.commandLine().getErr();
        err.printf("Estimating the LLC of %s (%s, %d parameters%s) on %d rows: %d chains x %d steps%n",
                saved.file(), saved.kind(), saved.parameters(), saved.hasNormalizer() ? ", normalized" : "",
                prepared.numExamples(), config.chains(), config.stepsPerChain());
        err.flush();
        LlcEstimate estimate = new LlcEstimator(config).estimate(saved.surface(prepared));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? toJson(estimate) + System.lineSeparator() : Summaries.llc(estimate));
        out.flush();
        return SltCli.EXIT_OK;
    }

    /** The record schema's estimate object, plus the short names scripts use for the key numbers. */
    static JsonObject toJson(LlcEstimate estimate) {
        JsonObject o = RecordJson.toJson(estimate);
        o.add("stderr", o.get("standardError"));
        o.addProperty("diverged", estimate.divergedChains());
        return o;
    }
}
