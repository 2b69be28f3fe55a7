package org.slt4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slt4j.cli.BadInputException;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.EventRecord;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHeader;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.report.TrainingRecord;
import org.slt4j.symmetry.SymmetryEvent;
import org.slt4j.symmetry.SymmetryTracker;

/**
 * The records of a checkpoint curve gathered on the driver: the run header and each checkpoint's records by
 * iteration, written as the command line writes them (a header, then per checkpoint in iteration order its loss,
 * LLC and symmetry records, each symmetry record followed by the events it confirms). The events are found here,
 * across the checkpoints, because each task measures a single checkpoint.
 */
final class CurveRecords {
    /** The header setting that says how the curve was distributed. */
    static final String GRANULARITY = "spark.granularity";

    private RunHeader header;
    private final Map<Long, List<TrainingRecord>> byIteration = new TreeMap<>();

    /**
     * The records of an earlier run's output, to resume it; none if the file does not exist. Its events are dropped
     * (they are found again when the curve is written).
     *
     * @throws BadInputException if the file cannot be read or holds a line that is no record
     */
    static CurveRecords read(Path file) {
        CurveRecords records = new CurveRecords();
        if (!Files.exists(file)) {
            return records;
        }
        try {
            records.add(Files.readAllLines(file));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("cannot resume from " + file + ": " + BadInputException.reason(e), e);
        }
        return records;
    }

    /** Adds records as JSON lines; the first header is the run's, events are dropped. */
    void add(List<String> lines) {
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            DiagnosticRecord record = RecordJson.decode(line);
            if (record instanceof RunHeader h) {
                header = header != null ? header : h;
            } else if (record instanceof TrainingRecord t && !(record instanceof EventRecord)) {
                byIteration.computeIfAbsent(t.iteration(), i -> new ArrayList<>()).add(t);
            }
        }
    }

    /** Whether the checkpoint at this iteration was measured: it has an LLC or a symmetry record (no failure only). */
    boolean measured(long iteration) {
        return byIteration.getOrDefault(iteration, List.of()).stream()
                .anyMatch(r -> r instanceof LlcRecord || r instanceof SymmetryRecord);
    }

    /** Forgets the records at this iteration (the failures of a checkpoint measured again). */
    void forget(long iteration) {
        byIteration.remove(iteration);
    }

    /**
     * Writes the curve, finding the symmetry events with the tracker; replaces the file. The header says how the
     * curve was distributed ({@value #GRANULARITY}).
     */
    void write(Path file, SymmetryTracker tracker, String granularity) {
        try (JsonlSink sink = new JsonlSink(file)) {
            if (header != null) {
                Map<String, String> settings = new TreeMap<>(header.settings());
                settings.put(GRANULARITY, granularity);
                sink.write(new RunHeader(header.schemaVersion(), header.sessionId(), header.workerId(),
                        header.timestamp(), header.modelType(), header.parameters(), header.layers(),
                        header.trainingSetSize(), settings));
            }
            for (List<TrainingRecord> checkpoint : byIteration.values()) {
                for (TrainingRecord record : checkpoint) {
                    sink.write(record);
                    if (record instanceof SymmetryRecord s) {
                        for (SymmetryEvent event : tracker.update(s.snapshot())) {
                            sink.write(new EventRecord(s.epoch(), s.timestamp(), event));
                        }
                    }
                }
            }
        }
    }
}
