package org.slt4j.benchmarks;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.testing.SyntheticRun;
import org.slt4j.report.storage.StatsStorageSink;

/**
 * The slt4j page's endpoint {@code /slt/api/data} on a long run, through a real DL4J UI server over HTTP: a run of
 * {@code iterations} iterations ({@link SyntheticRun}: a loss record every iteration, metrics every 1,000, the
 * default LLC and symmetry schedules, a symmetry event every 2,500) is posted through slt4j's StatsStorageSink to an InMemoryStatsStorage and to
 * a FileStatsStorage attached to the UI, as a training run would. Then it measures, client-side:
 * <ul>
 *   <li>the first load of a page (11 times, median and largest): time and bytes;</li>
 *   <li>{@code polls} polls, each after 2,000 more iterations (two seconds of a run at 1,000 iterations per second),
 *       with the cursor of the previous answer: time and bytes, median and largest (the polls cross a doubling of
 *       the loss buckets' width);</li>
 *   <li>the first load after the storage is attached again (the session is read in full once: a run opened after
 *       it finished).</li>
 * </ul>
 * Args: iterations (default 1,000,000), polls (default 15), storages ({@code memory}, {@code file} or
 * {@code both}, default both), the folder of the FileStatsStorage file (default the temporary folder; MapDB commits
 * every update to disk, so the folder's disk matters). See docs/benchmarks.md.
 */
public final class PageLoadBenchmark {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int CHUNK = 10_000;
    private static final int POLL_ITERATIONS = 2_000;

    private PageLoadBenchmark() {
    }

    /**
     * @param args iterations, polls, storages
     */
    public static void main(String[] args) throws Exception {
        long iterations = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int polls = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        String storages = args.length > 2 ? args[2] : "both";
        java.nio.file.Path dir = args.length > 3 ? java.nio.file.Path.of(args[3])
                : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        VertxUIServer server = VertxUIServer.getInstance(0, false, null);
        String base = "http://127.0.0.1:" + server.getPort();
        SyntheticRun run = new SyntheticRun(1_000, 500, 2_500);
        try {
            if (!storages.equals("file")) {
                measure("InMemoryStatsStorage", new InMemoryStatsStorage(), server, base, run, iterations, polls);
            }
            if (!storages.equals("memory")) {
                File file = Files.createTempFile(dir, "slt4j-page-benchmark", ".dl4j").toFile();
                file.delete();
                try {
                    measure("FileStatsStorage", new FileStatsStorage(file), server, base, run, iterations, polls);
                } finally {
                    file.delete();
                }
            }
        } finally {
            UIServer.stopInstance();
        }
    }

    private static void measure(String name, StatsStorage storage, VertxUIServer server, String base,
            SyntheticRun run, long iterations, int polls) throws Exception {
        server.attach(storage);
        StatsStorageSink sink = new StatsStorageSink(storage);
        sink.write(run.header());
        long start = System.nanoTime();
        long posted = post(sink, run, 0, iterations);
        double postSeconds = (System.nanoTime() - start) / 1e9;
        int updates = storage.getNumUpdateRecordsFor(SyntheticRun.SESSION);
        String url = base + "/slt/api/data?session=" + URLEncoder.encode(SyntheticRun.SESSION, StandardCharsets.UTF_8);
        Answer caughtUp = awaitIteration(url, null, iterations - 1);
        double ingestSeconds = (System.nanoTime() - start) / 1e9;

        List<Answer> loads = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            loads.add(get(url));
        }
        String cursor = loads.get(loads.size() - 1).cursor;
        List<Answer> pollAnswers = new ArrayList<>();
        long next = iterations;
        for (int p = 0; p < polls; p++) {
            post(sink, run, next, next + POLL_ITERATIONS);
            next += POLL_ITERATIONS;
            Answer poll = awaitIteration(url, cursor, next - 1);
            pollAnswers.add(poll);
            cursor = poll.cursor;
        }
        JsonObject last = JsonParser.parseString(get(url).body).getAsJsonObject();
        sink.close();

        server.detach(storage);
        server.attach(storage);
        Answer cold = get(url);
        server.detach(storage);
        if (storage instanceof FileStatsStorage f) {
            f.close();
        }

        System.out.printf(Locale.ROOT, "%s, %,d iterations (%,d records posted in %.1f s, %.4f ms per record, in %,d "
                + "updates; all on the page after %.1f s; waited for with %d full loads)%n", name, iterations, posted,
                postSeconds, postSeconds * 1e3 / posted, updates, ingestSeconds, caughtUp.attempts);
        JsonObject first = JsonParser.parseString(loads.get(0).body).getAsJsonObject();
        System.out.printf(Locale.ROOT, "  first load: %d loss buckets of %d iterations, %d LLC estimates, %d of %d "
                + "scans (stride %d), %d of %d events%n", first.getAsJsonObject("loss").getAsJsonArray("index").size(),
                first.getAsJsonObject("loss").get("width").getAsLong(), first.get("llcEstimates").getAsLong(),
                first.getAsJsonObject("scans").getAsJsonArray("ordinal").size(), first.get("symmetryScans").getAsLong(),
                first.getAsJsonObject("scans").get("stride").getAsLong(),
                first.getAsJsonObject("events").getAsJsonArray("events").size(),
                first.getAsJsonObject("events").get("total").getAsLong());
        System.out.printf(Locale.ROOT, "  after the polls: %d loss buckets of %d iterations%n",
                last.getAsJsonObject("loss").getAsJsonArray("index").size(),
                last.getAsJsonObject("loss").get("width").getAsLong());
        System.out.printf(Locale.ROOT, "  first load: median %.1f ms, max %.1f ms; %,d bytes%n", median(loads, true),
                max(loads, true), (long) max(loads, false));
        System.out.printf(Locale.ROOT, "  poll after %,d iterations: median %.1f ms, max %.1f ms; median %,d bytes, "
                + "max %,d bytes (%d polls)%n", POLL_ITERATIONS, median(pollAnswers, true), max(pollAnswers, true),
                (long) median(pollAnswers, false), (long) max(pollAnswers, false), pollAnswers.size());
        System.out.printf(Locale.ROOT, "  first load after attaching the storage again (full read): %.0f ms, %,d "
                + "bytes%n", cold.millis, cold.bytes());
    }

    /** Posts the records of iterations [from, to); returns how many. */
    private static long post(StatsStorageSink sink, SyntheticRun run, long from, long to) {
        long posted = 0;
        for (long a = from; a < to; a += CHUNK) {
            List<DiagnosticRecord> records = run.records(a, Math.min(to, a + CHUNK));
            records.forEach(sink::write);
            posted += records.size();
        }
        return posted;
    }

    /** Polls (with the cursor, when given) until the answer shows the iteration; returns that answer. */
    private static Answer awaitIteration(String url, String cursor, long iteration) throws Exception {
        int attempts = 0;
        while (true) {
            attempts++;
            Answer a = get(cursor == null ? url : url + "&since=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonObject o = JsonParser.parseString(a.body).getAsJsonObject();
            if (o.has("lastIteration") && o.get("lastIteration").getAsLong() >= iteration) {
                return new Answer(a.millis, a.body, o.get("version").getAsString(), attempts);
            }
            Thread.sleep(cursor == null ? 1000 : 50);
        }
    }

    private static Answer get(String url) throws IOException, InterruptedException {
        long t = System.nanoTime();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        double millis = (System.nanoTime() - t) / 1e6;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        String cursor = JsonParser.parseString(r.body()).getAsJsonObject().get("version").getAsString();
        return new Answer(millis, r.body(), cursor, 1);
    }

    private record Answer(double millis, String body, String cursor, int attempts) {
        long bytes() {
            return body.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private static double median(List<Answer> answers, boolean time) {
        double[] v = answers.stream().mapToDouble(a -> time ? a.millis : a.bytes()).sorted().toArray();
        return v[v.length / 2];
    }

    private static double max(List<Answer> answers, boolean time) {
        return answers.stream().mapToDouble(a -> time ? a.millis : a.bytes()).max().orElse(Double.NaN);
    }
}
