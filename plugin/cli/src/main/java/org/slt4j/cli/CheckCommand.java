package org.slt4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slt4j.check.BaselineCheck;
import org.slt4j.check.RunBaseline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slt4j check}: a run against a baseline, with the CI exit codes. */
@Command(name = "check", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Checks a run against a baseline and prints a table of every metric.",
            "Exit code 0 when it holds, 1 when a metric moved beyond k standard errors and its relative "
                + "tolerance (docs/baselines.md). For pipelines: --json, --junit-xml (docs/ci.md)."})
final class CheckCommand implements Callable<Integer> {

    @Mixin
    RunOption run;

    @Option(names = "--baseline", required = true, paramLabel = "BASELINE.json",
            description = "A baseline recorded with 'slt4j baseline' or RunBaseline.")
    Path baseline;

    @Option(names = "--json", description = "Print the result as one JSON object instead of the table.")
    boolean json;

    @Option(names = "--junit-xml", paramLabel = "FILE",
            description = "Also write the result as a JUnit XML report: a test case per metric, a failure per "
                + "regression.")
    Path junitXml;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RunBaseline expected = readBaseline(baseline);
        RunOption.Loaded loaded = run.read();
        BaselineCheck check;
        try {
            check = expected.check(loaded.history());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("cannot check " + run.run + " against " + baseline + ": "
                    + BadInputException.reason(e), e);
        }
        if (junitXml != null) {
            try {
                CheckReports.writeJunitXml(check, loaded.name(), baseline, junitXml);
            } catch (IOException e) {
                throw new BadInputException("cannot write the JUnit XML report " + junitXml + ": "
                        + BadInputException.reason(e), e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(CheckReports.json(check, loaded.name(), baseline.toString()));
        } else {
            out.print(check.table());
            out.println(check.holds() ? "OK: all " + check.results().size() + " metrics hold"
                    : "REGRESSION: " + check.regressions().size() + " of " + check.results().size()
                    + " metrics moved beyond their tolerance");
        }
        out.flush();
        return check.holds() ? SltCli.EXIT_OK : SltCli.EXIT_REGRESSION;
    }

    static RunBaseline readBaseline(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("baseline file not found: " + file);
        }
        try {
            return RunBaseline.read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(BadInputException.reason(e), e);
        }
    }
}
