package org.slt4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.slt4j.cli.BadInputException;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHistory;
import org.slt4j.report.html.HtmlReport;
import org.slt4j.report.storage.StatsStorageSink;

/**
 * The driver's outputs besides the JSONL: the same records in a DL4J FileStatsStorage (what the UI's slt4j page
 * and {@code slt4j report --run} read), and the HTML report of the curve.
 */
final class DriverOutputs {
    private DriverOutputs() {
    }

    /**
     * Writes the records of the JSONL file into the storage file (replaced; null: none) and renders its report
     * (null: none).
     *
     * @throws BadInputException if a file cannot be written
     */
    static void write(Path jsonl, Path storage, Path report) throws IOException {
        if (storage != null) {
            Files.deleteIfExists(storage);
            FileStatsStorage stats = new FileStatsStorage(storage.toFile());
            try (StatsStorageSink sink = new StatsStorageSink(stats)) {
                for (String line : Files.readAllLines(jsonl)) {
                    if (!line.isBlank()) {
                        DiagnosticRecord record = RecordJson.decode(line);
                        sink.write(record);
                    }
                }
            } catch (RuntimeException e) {
                throw new BadInputException("cannot write the storage " + storage + ": " + BadInputException.reason(e),
                        e);
            } finally {
                stats.close();
            }
        }
        if (report != null) {
            RunHistory run = RunHistory.readJsonl(jsonl);
            String session = run.header().map(h -> h.sessionId()).orElse(jsonl.getFileName().toString());
            HtmlReport.write(run, report, "slt4j run " + session + " (Spark)");
        }
    }
}
