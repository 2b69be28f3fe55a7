package org.slt4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slt4j.report.RecordJson;
import org.slt4j.symmetry.SymmetryScanner;
import org.slt4j.symmetry.SymmetrySnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slt4j symmetry}: the symmetry snapshot of a saved model on probe data. */
@Command(name = "symmetry", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Scans a saved model for dead and duplicate units, effective width and ranks.",
            "The CSV rows are the probe inputs; the label columns only mark where the features end."})
final class SymmetryCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--json", description = "Print exactly one JSON object: the snapshot of a symmetry record"
            + " (docs/record-schema.md): every layer, then the network totals.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SavedModel saved = model.load();
        SymmetrySnapshot snapshot = saved.scan(SymmetryScanner.defaults(), data.readFor(saved), -1);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? RecordJson.encode(snapshot) + System.lineSeparator() : Summaries.symmetry(snapshot));
        out.flush();
        return SltCli.EXIT_OK;
    }
}
