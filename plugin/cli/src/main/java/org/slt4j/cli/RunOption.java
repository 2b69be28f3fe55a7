package org.slt4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.slt4j.report.RunHistory;
import org.slt4j.report.storage.StoredRun;
import picocli.CommandLine.Option;

/**
 * The {@code --run} and {@code --session} options: a run's records as JSONL (JsonlSink or {@code slt4j
 * checkpoints}) or one session of a DL4J FileStatsStorage file that slt4j posted to; a picocli mixin.
 */
final class RunOption {

    @Option(names = "--run", required = true, paramLabel = "RUN",
            description = {"A run: JSONL records, as written by JsonlSink or 'slt4j checkpoints', or a DL4J "
                + "FileStatsStorage file that slt4j posted to (the listeners' statsStorage(...))."})
    Path run;

    @Option(names = "--session", paramLabel = "ID",
            description = "The session to read from a FileStatsStorage file; may be left out when the file holds "
                + "one slt4j session.")
    String session;

    /**
     * A run read from its file.
     *
     * @param history the run
     * @param name    what reports and baselines call it: the file name, and the session of a FileStatsStorage
     */
    record Loaded(RunHistory history, String name) {
    }

    /**
     * Reads the run, telling the two formats apart by their first byte: JSONL records start with '{'.
     *
     * @throws BadInputException if the file is missing, unreadable, holds an invalid record, or the session is
     *                           missing or ambiguous
     */
    Loaded read() {
        if (!Files.isRegularFile(run)) {
            throw new BadInputException("run file not found: " + run);
        }
        try {
            if (isJsonl()) {
                if (session != null) {
                    throw new BadInputException("--session applies to FileStatsStorage files, and " + run
                            + " holds JSONL records");
                }
                return new Loaded(RunHistory.readJsonl(run), run.getFileName().toString());
            }
            return readStatsStorage();
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException("could not read run " + run + ": " + BadInputException.reason(e), e);
        }
    }

    private boolean isJsonl() throws IOException {
        try (InputStream in = Files.newInputStream(run)) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (!Character.isWhitespace(b)) {
                    return b == '{';
                }
            }
            return true;
        }
    }

    /**
     * Opens a copy of the file: MapDB writes to a file it opens (its write-ahead log, a commit on close) and locks
     * it, and the run's file must stay as it is, even while a training process holds it open.
     */
    private Loaded readStatsStorage() throws IOException {
        Path copy = Files.createTempDirectory("slt4j-run");
        try {
            Path file = copy.resolve("stats.bin");
            Files.copy(run, file);
            FileStatsStorage storage;
            try {
                storage = new FileStatsStorage(file.toFile());
            } catch (RuntimeException e) {
                throw new BadInputException("could not read run " + run + ": it is neither JSONL records nor a DL4J"
                        + " FileStatsStorage file (" + BadInputException.reason(e) + ")", e);
            }
            try {
                String id = session(storage);
                return new Loaded(StoredRun.read(storage, id).history(), run.getFileName() + " (session " + id
                        + ")");
            } finally {
                storage.close();
            }
        } finally {
            delete(copy);
        }
    }

    private String session(FileStatsStorage storage) {
        List<String> ids = StoredRun.sessionIds(storage).stream().sorted().toList();
        if (session != null) {
            if (!ids.contains(session)) {
                throw new BadInputException("session '" + session + "' has no slt4j records in " + run
                        + " (slt4j sessions: " + String.join(", ", ids) + ")");
            }
            return session;
        }
        if (ids.size() == 1) {
            return ids.get(0);
        }
        if (ids.isEmpty()) {
            throw new BadInputException(run + " holds no slt4j session (sessions: "
                    + String.join(", ", storage.listSessionIDs().stream().sorted().toList()) + ")");
        }
        throw new BadInputException(run + " holds " + ids.size() + " slt4j sessions, choose one with --session: "
                + String.join(", ", ids));
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
