package org.slt4j.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A text file written line by line and flushed after every line; opened (parent directories created, existing
 * content replaced) at the first line, so an unwritable path fails at the first write, inside training, where
 * listeners isolate failures. Not thread-safe.
 */
final class LineFile implements AutoCloseable {
    private final Path path;
    private BufferedWriter writer;
    private boolean closed;

    LineFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** Whether nothing has been written yet. */
    boolean isNew() {
        return writer == null;
    }

    void writeLine(String line) {
        if (closed) {
            throw new IllegalStateException("sink for " + path + " is closed");
        }
        try {
            if (writer == null) {
                Path parent = path.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
            }
            writer.write(line);
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + path + ": " + e, e);
            } finally {
                writer = null;
            }
        }
    }
}
