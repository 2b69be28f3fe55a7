package org.slt4j.report;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes every record as one line of JSON ({@link RecordJson}) to a file, flushed per record. The file is
 * created (with its directories) at the first record, replacing an existing file. Read it back with
 * {@link RunHistory#readJsonl(Path)}.
 */
public final class JsonlSink implements DiagnosticsSink {
    private final LineFile file;

    /** A sink writing to the given file. */
    public JsonlSink(Path file) {
        this.file = new LineFile(Objects.requireNonNull(file, "file"));
    }

    @Override
    public void write(DiagnosticRecord record) {
        file.writeLine(RecordJson.encode(record));
    }

    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return "JsonlSink(" + file.path() + ")";
    }
}
