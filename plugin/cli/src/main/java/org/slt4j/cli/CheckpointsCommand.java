package org.slt4j.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.slt4j.listener.SltListener;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.Format;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slt4j checkpoints}: the LLC and symmetry curve of a finished training run, computed after the fact from
 * the directory DL4J's {@code CheckpointListener} wrote.
 */
@Command(name = "checkpoints", sortOptions = false, usageHelpAutoWidth = true,
        description = {"LLC and symmetry of every checkpoint of a CheckpointListener directory, as JSONL.",
            "Goes through the checkpoints in iteration order with the training listeners' own diagnostics "
                + "(SltListener.measure) and writes a run in the record schema (docs/record-schema.md): a header, "
                + "then per checkpoint a loss record (the model's score on the CSV data), an llc record (plus one "
                + "per --layer-llc layer) and a symmetry record, plus the symmetry events found across checkpoints. "
                + "The estimator settings are those of llc: the step size, localization, burn-in and draws are "
                + "automatic unless given (the listener calibrates the step size and localization itself, with the "
                + "--calibration-* options), and every llc record says whether it is reliable. The seed of the "
                + "estimate at iteration i is --seed + i, as in the listeners. Progress goes to standard error."})
final class CheckpointsCommand implements Callable<Integer> {

    @Option(names = "--dir", required = true, paramLabel = "DIR",
            description = "Directory written by CheckpointListener (with checkpointInfo.txt).")
    Path dir;

    @Mixin
    CurveOptions curve;

    @Option(names = "--out", paramLabel = "FILE.jsonl", description = "Output file (default: standard output).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Checkpoint> checkpoints = checkpoints(dir);
        PrintWriter progress = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        try (DiagnosticsSink sink = out != null ? new JsonlSink(out) : record -> {
            stdout.println(RecordJson.encode(record));
            stdout.flush();
        }) {
            run(checkpoints, sink, progress);
        } catch (UncheckedIOException e) {
            throw new BadInputException("cannot write " + out + ": " + BadInputException.reason(e.getCause()), e);
        }
        if (out != null) {
            progress.printf("Wrote %s%n", out);
            progress.flush();
        }
        return SltCli.EXIT_OK;
    }

    private void run(List<Checkpoint> checkpoints, DiagnosticsSink sink, PrintWriter progress) {
        SavedModel first = SavedModel.load(dir.resolve(checkpoints.get(0).getFilename()));
        CheckpointCurve measured = curve.curve(first, "checkpoints:" + dir.getFileName(), "slt4j-cli");
        try (SltListener listener = measured.listener(sink)) {
            for (int i = 0; i < checkpoints.size(); i++) {
                Checkpoint c = checkpoints.get(i);
                SavedModel model = i == 0 ? first : SavedModel.load(dir.resolve(c.getFilename()));
                measured.measure(listener, model, c);
                progress.printf(Locale.ROOT, "[%d/%d] checkpoint %d (iteration %d, epoch %d): %s%n", i + 1,
                        checkpoints.size(), c.getCheckpointNum(), c.getIteration(), c.getEpoch(),
                        describe(listener.history(), c.getIteration()));
                progress.flush();
            }
        }
    }

    /** The checkpoint's LLC and effective width as the progress line shows them; failures are in the records. */
    private static String describe(RunHistory run, long iteration) {
        String llc = run.llcRecords().stream().filter(r -> r.iteration() == iteration && r.isWholeNetwork())
                .findFirst().map(r -> "LLC " + Format.num(r.estimate().mean()) + " ± "
                        + Format.num(r.estimate().standardError())
                        + (r.estimate().isReliable() ? ""
                                : " UNRELIABLE: " + String.join("; ", r.estimate().warnings())))
                .orElse("no LLC estimate (see the failure records)");
        String width = run.symmetryRecords().stream().filter(r -> r.iteration() == iteration).findFirst()
                .map(r -> "effective width " + r.snapshot().totalEffectiveWidth())
                .orElse("no symmetry scan (see the failure records)");
        return llc + ", " + width;
    }

    /** The directory's checkpoints in iteration order. */
    private static List<Checkpoint> checkpoints(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("checkpoint directory not found: " + dir);
        }
        if (!Files.isRegularFile(dir.resolve("checkpointInfo.txt"))) {
            throw new BadInputException("checkpoint directory " + dir + " has no checkpointInfo.txt (write it with"
                    + " DL4J's CheckpointListener)");
        }
        List<Checkpoint> found;
        try {
            found = CheckpointListener.availableCheckpoints(dir.toFile());
        } catch (RuntimeException e) {
            throw new BadInputException("checkpoint directory " + dir + " has a malformed checkpointInfo.txt: "
                    + BadInputException.reason(e), e);
        }
        if (found.isEmpty()) {
            throw new BadInputException("checkpoint directory " + dir + " lists no checkpoint that exists");
        }
        return CheckpointCurve.inIterationOrder(found);
    }
}
