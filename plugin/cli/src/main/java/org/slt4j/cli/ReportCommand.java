package org.slt4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slt4j.report.html.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slt4j report}: a run as a self-contained offline HTML file, written by {@link HtmlReport}. */
@Command(name = "report", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Writes a self-contained HTML report of a run.",
            "Inline SVG charts, no scripts, works offline: LLC with loss, symmetry metrics per layer, events "
                + "and the estimator settings."})
final class ReportCommand implements Callable<Integer> {

    @Mixin
    RunOption run;

    @Option(names = "--out", required = true, paramLabel = "REPORT.html", description = "The HTML file to write.")
    Path out;

    @Option(names = "--title", paramLabel = "TEXT",
            description = "Page title (default: slt4j run <file name>, and the session of a FileStatsStorage).")
    String title;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        RunOption.Loaded loaded = run.read();
        HtmlReport.write(loaded.history(), out, title != null ? title : "slt4j run " + loaded.name());
        spec.commandLine().getErr().printf("Wrote %s%n", out);
        spec.commandLine().getErr().flush();
        return SltCli.EXIT_OK;
    }
}
