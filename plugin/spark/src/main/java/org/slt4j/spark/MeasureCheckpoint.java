package org.slt4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.slt4j.cli.CheckpointCurve;
import org.slt4j.listener.SltListener;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.FailureRecord;
import org.slt4j.report.RecordJson;

/**
 * A Spark task's work: one checkpoint's records, as JSON lines, computed on the executor with its own listener
 * (so the LLC estimate at iteration i has the seed {@code --seed + i}, as on the command line). A checkpoint whose
 * model cannot be loaded or scored gives a failure record per diagnostic (LLC and symmetry) instead; a failure to
 * read the file system throws, so that Spark retries the task.
 */
final class MeasureCheckpoint implements Function<CheckpointFile, List<String>> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<CheckpointCurve> curve;
    private final Broadcast<SerializableWritable<Configuration>> conf;

    MeasureCheckpoint(Broadcast<CheckpointCurve> curve, Broadcast<SerializableWritable<Configuration>> conf) {
        this.curve = Objects.requireNonNull(curve, "curve");
        this.conf = Objects.requireNonNull(conf, "conf");
    }

    @Override
    public List<String> call(CheckpointFile checkpoint) throws IOException {
        CheckpointFiles files = new CheckpointFiles(conf.value().value());
        java.nio.file.Path local = files.fetch(checkpoint);
        List<String> records = new ArrayList<>();
        try (SltListener listener = curve.value().listener(record -> records.add(RecordJson.encode(record)))) {
            curve.value().measure(listener, local, checkpoint.checkpoint());
        } catch (RuntimeException e) {
            // The model could not be loaded or scored: nothing was measured, so the listener wrote no record.
            records.addAll(failures(checkpoint, CheckpointFiles.message(e, local, checkpoint), e));
        } finally {
            Files.deleteIfExists(local);
        }
        return records;
    }

    /** A failure record per diagnostic (LLC and symmetry) of a checkpoint that could not be measured. */
    static List<String> failures(CheckpointFile checkpoint, String message, RuntimeException e) {
        List<String> records = new ArrayList<>();
        for (Diagnostic diagnostic : List.of(Diagnostic.LLC, Diagnostic.SYMMETRY)) {
            records.add(RecordJson.encode(new FailureRecord(checkpoint.iteration(), checkpoint.checkpoint().getEpoch(),
                    Instant.now(), diagnostic, e.getClass().getName(), message)));
        }
        return records;
    }
}
