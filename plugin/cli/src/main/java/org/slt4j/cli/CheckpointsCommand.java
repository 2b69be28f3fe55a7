package org.slt4j.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.EventRecord;
import org.slt4j.report.Format;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHeader;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.symmetry.SymmetryEvent;
import org.slt4j.symmetry.SymmetryScanner;
import org.slt4j.symmetry.SymmetrySnapshot;
import org.slt4j.symmetry.SymmetryTracker;
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
            "Goes through the checkpoints in iteration order and writes a run in the record schema "
                + "(docs/record-schema.md): a header, then per checkpoint a loss record (the model's score on the "
                + "CSV data), an llc and a symmetry record, plus the symmetry events found across checkpoints. "
                + "Every checkpoint uses the same estimator settings and seed. Progress goes to standard error."})
final class CheckpointsCommand implements Callable<Integer> {

    @Option(names = "--dir", required = true, paramLabel = "DIR",
            description = "Directory written by CheckpointListener (with checkpointInfo.txt).")
    Path dir;

    @Mixin
    DataOptions data;

    @Mixin
    EstimatorOptions estimator;

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
        SymmetryScanner scanner = SymmetryScanner.defaults();
        SymmetryTracker tracker = new SymmetryTracker.Builder().build();
        Map<Long, Integer> epochs = new HashMap<>();
        DataSet raw = data.read();
        boolean headerWritten = false;
        for (int i = 0; i < checkpoints.size(); i++) {
            Checkpoint c = checkpoints.get(i);
            long iteration = c.getIteration();
            epochs.put(iteration, c.getEpoch());
            SavedModel model = SavedModel.load(dir.resolve(c.getFilename()));
            DataSet prepared = model.prepare(raw);
            LlcConfig config = estimator.config(prepared.numExamples());
            if (!headerWritten) {
                sink.write(header(model, config));
                headerWritten = true;
            }
            sink.write(new LossRecord(iteration, c.getEpoch(), Instant.now(), model.score(prepared)));
            LlcEstimate estimate = new LlcEstimator(config).estimate(model.surface(prepared));
            sink.write(LlcRecord.of(estimate, iteration, c.getEpoch(), Instant.now()));
            Instant scanStart = Instant.now();
            SymmetrySnapshot snapshot = model.scan(scanner, prepared, iteration);
            sink.write(new SymmetryRecord(c.getEpoch(), Instant.now(), Duration.between(scanStart, Instant.now()),
                    snapshot));
            for (SymmetryEvent event : tracker.update(snapshot)) {
                sink.write(new EventRecord(epochs.getOrDefault(event.iteration(), c.getEpoch()), Instant.now(),
                        event));
            }
            progress.printf(Locale.ROOT, "[%d/%d] checkpoint %d (iteration %d, epoch %d): LLC %s ± %s, effective"
                            + " width %d%n", i + 1, checkpoints.size(), c.getCheckpointNum(), iteration, c.getEpoch(),
                    Format.num(estimate.mean()), Format.num(estimate.standardError()),
                    snapshot.totalEffectiveWidth());
            progress.flush();
        }
    }

    private RunHeader header(SavedModel model, LlcConfig config) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("source", "slt4j checkpoints");
        settings.put("checkpointDirectory", dir.toString());
        settings.put("data", data.data.toString());
        settings.put("estimator", Summaries.settings(config));
        return new RunHeader(RecordJson.SCHEMA_VERSION, "checkpoints:" + dir.getFileName(), "slt4j-cli",
                Instant.now(), model.kind(), model.parameters(), model.layers(),
                config.trainingSetSize().orElse(0), new TreeMap<>(settings));
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
        return found.stream().sorted(Comparator.comparingInt(Checkpoint::getIteration)
                .thenComparingInt(Checkpoint::getCheckpointNum)).toList();
    }
}
