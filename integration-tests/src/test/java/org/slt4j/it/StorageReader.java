package org.slt4j.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHistory;
import org.slt4j.report.storage.StoredRun;

/**
 * Run in a separate JVM by {@link CrossJvmStorageIT}: reads a FileStatsStorage session with the read-back API
 * and writes every record as a JSON line. Arguments: storage file, session ID, output file.
 */
public final class StorageReader {
    private StorageReader() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        FileStatsStorage storage = new FileStatsStorage(Path.of(args[0]).toFile());
        try {
            RunHistory history = StoredRun.read(storage, args[1]).history();
            List<String> lines = new ArrayList<>();
            lines.add(RecordJson.encode(history.header().orElseThrow()));
            history.records().forEach(r -> lines.add(RecordJson.encode(r)));
            Files.write(Path.of(args[2]), lines, StandardCharsets.UTF_8);
        } finally {
            storage.close();
        }
    }
}
