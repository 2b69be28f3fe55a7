package org.slt4j.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.slt4j.report.RunHistory;
import org.slt4j.report.html.HtmlReport;

/**
 * What every sample shares: its command-line options, the DL4J UI server with the {@link StatsStorage} that
 * DL4J's {@link StatsListener} and slt4j's listeners write to, the output directory (JSONL records, offline HTML
 * report), a progress line, and keeping the UI up after training until the user stops it.
 *
 * <p>Options (every sample understands them):
 * <ul>
 *   <li>{@code --quick}: a small, fast version (what CI runs);</li>
 *   <li>{@code --no-ui}: no UI server (the records still go to an in-memory StatsStorage and the files);</li>
 *   <li>{@code --port P}: the UI port (default 9000; 0 picks a free one);</li>
 *   <li>{@code --out DIR}: where the JSONL records and the HTML report go (default
 *       {@code target/slt4j-run/<sample>}, relative to the working directory);</li>
 *   <li>{@code --exit}: exit when done instead of keeping the UI up until Ctrl-C.</li>
 * </ul>
 */
final class SampleRun {
    /** DL4J's default UI port. */
    static final int DEFAULT_PORT = 9000;
    private static final String USAGE = "options: [--quick] [--no-ui] [--port P] [--out DIR] [--exit]";
    private static final int BAR_WIDTH = 24;

    private final String name;
    private final Options options;
    private final String sessionId = "slt4j-" + UUID.randomUUID().toString().substring(0, 8);
    private final StatsStorage storage = new InMemoryStatsStorage();
    private VertxUIServer server;

    /** The parsed command-line options of a sample. */
    record Options(boolean quick, boolean ui, int port, Path out, boolean exit) {

        /**
         * Parses the options; the default output directory is {@code target/slt4j-run/<sample>}.
         *
         * @throws IllegalArgumentException naming an unknown option or a bad value, with the usage
         */
        static Options parse(String sample, String... args) {
            boolean quick = false;
            boolean ui = true;
            int port = DEFAULT_PORT;
            Path out = Path.of("target", "slt4j-run", sample);
            boolean exit = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--no-ui" -> ui = false;
                    case "--exit" -> exit = true;
                    case "--port" -> port = port(value(args, ++i, "--port"));
                    case "--out" -> out = Path.of(value(args, ++i, "--out"));
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
                }
            }
            return new Options(quick, ui, port, out, exit);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value; " + USAGE);
            }
            return args[i];
        }

        private static int port(String value) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 0 && port <= 65_535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--port must be a number in 0..65535 (got: " + value + ")");
        }
    }

    private SampleRun(String name, Options options) {
        this.name = name;
        this.options = options;
    }

    /**
     * Parses the options, creates the output directory and, unless {@code --no-ui}, starts the DL4J UI server
     * with this run's StatsStorage attached and prints the pages' addresses.
     *
     * @param name the sample's short name (the default output directory's last part)
     */
    static SampleRun start(String name, String[] args) {
        return start(name, args, true);
    }

    /**
     * For a sample without a training run to show: parses the options (accepting the UI ones, which change
     * nothing) and creates the output directory; no UI server.
     */
    static SampleRun withoutUi(String name, String[] args) {
        return start(name, args, false);
    }

    private static SampleRun start(String name, String[] args, boolean withUi) {
        SampleRun run = new SampleRun(name, Options.parse(name, args));
        try {
            Files.createDirectories(run.options.out());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output directory " + run.options.out(), e);
        }
        if (withUi && run.options.ui()) {
            run.server = VertxUIServer.getInstance(run.options.port(), false, null);
            run.server.attach(run.storage);
            System.out.printf("slt4j UI: http://localhost:%d/slt  (DL4J's training page: http://localhost:%d/train)%n",
                    run.port(), run.port());
        }
        return run;
    }

    /** The options the sample was started with. */
    Options options() {
        return options;
    }

    /**
     * The UI server's port (the one it listens on, also when {@code --port 0} let it choose).
     *
     * @throws IllegalStateException if there is no UI server
     */
    int port() {
        if (server == null) {
            throw new IllegalStateException("no UI server: the sample was started with --no-ui or has no UI");
        }
        return server.getPort();
    }

    /** Whether to run the small, fast version. */
    boolean quick() {
        return options.quick();
    }

    /** The StatsStorage the UI shows (in memory; without UI it is only written to). */
    StatsStorage storage() {
        return storage;
    }

    /** One session ID for DL4J's StatsListener and slt4j's listeners, so the UI shows them as one run. */
    String sessionId() {
        return sessionId;
    }

    /** DL4J's StatsListener (the loss and update charts of /train), posting to this run's storage and session. */
    StatsListener statsListener(int everyNIterations) {
        return new StatsListener(storage, everyNIterations, sessionId);
    }

    /** A file in the output directory. */
    Path file(String fileName) {
        return options.out().resolve(fileName);
    }

    /**
     * Writes a text file (UTF-8) into the output directory.
     *
     * @return the file
     * @throws UncheckedIOException if it cannot be written
     */
    Path write(String fileName, CharSequence text) {
        Path file = file(fileName);
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** The JSONL records of the run: {@code <out>/run.jsonl}. */
    Path records() {
        return file("run.jsonl");
    }

    /** The offline HTML report: {@code <out>/report.html}. */
    Path report() {
        return file("report.html");
    }

    /** Prints one progress line: a bar, the percentage of {@code total} done, and the detail. */
    static void progress(long done, long total, String detail) {
        int filled = (int) (BAR_WIDTH * done / Math.max(total, 1));
        System.out.printf(Locale.ROOT, "[%s%s] %3d%%  %s%n", "#".repeat(filled), ".".repeat(BAR_WIDTH - filled),
                100 * done / Math.max(total, 1), detail);
    }

    /**
     * Writes the offline HTML report of {@link #records()} to {@link #report()} with {@link HtmlReport}.
     *
     * @throws UncheckedIOException if the records cannot be read or the report cannot be written
     */
    void writeReport(String title) {
        try {
            // [report]
            RunHistory history = RunHistory.readJsonl(records());
            HtmlReport.write(history, report(), title);
            // [/report]
        } catch (IOException e) {
            throw new UncheckedIOException("writing the report " + report() + " failed", e);
        }
    }

    /**
     * Ends the sample: prints where the records and the report are (those that were written) and, with the UI
     * and without {@code --exit}, keeps the UI up until the process is stopped (Ctrl-C); otherwise stops the UI server.
     */
    void finish() {
        System.out.printf("%n%s done.%n", name);
        if (Files.exists(records())) {
            System.out.printf("  records (JSONL): %s%n", records().toAbsolutePath());
        }
        if (Files.exists(report())) {
            System.out.printf("  report (HTML):   %s%n", report().toAbsolutePath());
        }
        if (server == null) {
            return;
        }
        if (options.exit()) {
            stopUi();
            return;
        }
        System.out.printf("  UI:              http://localhost:%d/slt  - press Ctrl-C to stop%n", port());
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopUi();
        }
    }

    private void stopUi() {
        try {
            VertxUIServer.stopInstance();
        } catch (Exception e) {
            System.err.println("stopping the UI server failed: " + e);
        }
    }
}
