package org.slt4j.it.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.slt4j.report.storage.StatsStorageSink;

/**
 * The finished runs the UI tests read, trained once per JVM into one in-memory storage: {@link #WITH_STATS_LISTENER}
 * (slt4j and DL4J's StatsListener in one session) and {@link #SLT_ONLY} (slt4j alone, with a hidden layer named
 * {@link UiRuns#HOSTILE_LAYER}; also written to a FileStatsStorage file, {@link #file()}).
 */
final class SharedRuns {
    static final String WITH_STATS_LISTENER = "with-stats-listener";
    static final String SLT_ONLY = "slt-only <b>\"'&";

    private static SharedRuns instance;

    private final InMemoryStatsStorage storage = new InMemoryStatsStorage();
    private final Path file;

    private SharedRuns() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "ui-it"));
        file = dir.resolve("slt-only.dl4j");
        Files.deleteIfExists(file);
        UiRuns.train(UiRuns.ITERATIONS, "hidden", UiRuns.listener(WITH_STATS_LISTENER, storage),
                new StatsListener(storage, 1, WITH_STATS_LISTENER));
        FileStatsStorage fileStorage = new FileStatsStorage(file.toFile());
        try {
            UiRuns.train(UiRuns.ITERATIONS, UiRuns.HOSTILE_LAYER,
                    UiRuns.listener(SLT_ONLY, storage, new StatsStorageSink(fileStorage)));
        } finally {
            fileStorage.close();
        }
    }

    /** The runs, trained at the first call. */
    static synchronized SharedRuns get() {
        if (instance == null) {
            try {
                instance = new SharedRuns();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** Both sessions. */
    StatsStorage storage() {
        return storage;
    }

    /** A FileStatsStorage file holding only {@link #SLT_ONLY}, closed. */
    File file() {
        return file.toFile();
    }
}
