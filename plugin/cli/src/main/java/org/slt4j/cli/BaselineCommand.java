package org.slt4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slt4j.check.RunBaseline;
import org.slt4j.check.Tolerance;
import org.slt4j.report.Format;
import org.slt4j.report.RunHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slt4j baseline}: records a baseline from a run. */
@Command(name = "baseline", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Records a baseline from a run.",
            "Stores the metrics' values at the end of the run (or at METRIC@ITERATION) with their standard "
                + "errors and one tolerance (edit the file for per-metric ones); format: docs/baselines.md."})
final class BaselineCommand implements Callable<Integer> {

    @Mixin
    RunOption run;

    @Option(names = "--out", required = true, paramLabel = "BASELINE.json", description = "The baseline file to write.")
    Path out;

    @Option(names = "--metrics", split = ",", paramLabel = "METRIC",
            description = "Metrics to record, comma-separated: llc, loss, llcUpperBound, LAYER/METRIC (METRIC:"
                + " EFFECTIVE_WIDTH, DEAD_FRACTION, NUMERICAL_RANK, ...), each optionally @ITERATION. Default: llc,"
                + " loss, llcUpperBound and every layer's EFFECTIVE_WIDTH, DEAD_FRACTION and EFFECTIVE_RANK.")
    List<String> metrics;

    @Option(names = "--k", paramLabel = "K", defaultValue = "3",
            description = "Standard errors a change must exceed to regress (default ${DEFAULT-VALUE}).")
    double k;

    @Option(names = "--relative", paramLabel = "R", defaultValue = "0.1",
            description = "Fraction of the expected value a change must exceed to regress (default ${DEFAULT-VALUE}).")
    double relative;

    @Option(names = "--absolute", paramLabel = "A", defaultValue = "0",
            description = "Floor of the relative tolerance, for values near 0 (default ${DEFAULT-VALUE}; the unit"
                + " fractions DEAD_FRACTION, DUPLICATE_FRACTION and ALWAYS_ACTIVE_FRACTION get at least R).")
    double absolute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        RunOption.Loaded loaded = run.read();
        RunHistory history = loaded.history();
        RunBaseline baseline;
        try {
            Tolerance tolerance = Tolerance.of(k, relative).withAbsolute(absolute);
            List<String> chosen = metrics != null ? metrics : RunBaseline.defaultMetrics(history);
            baseline = RunBaseline.record(history, loaded.name(), chosen, tolerance);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("cannot record a baseline from " + run.run + ": "
                    + BadInputException.reason(e), e);
        }
        baseline.write(out);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("Recorded %d metrics from %s into %s:%n", baseline.entries().size(), run.run, out);
        for (RunBaseline.Entry e : baseline.entries()) {
            stdout.printf("  %s = %s%n", e.metric(),
                    Format.withError(e.expected(), e.standardError()));
        }
        stdout.flush();
        return SltCli.EXIT_OK;
    }
}
