package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.listener.Schedule;
import org.slt4j.listener.SltListener;
import org.slt4j.llc.LlcConfig;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.RunHistory;
import org.slt4j.report.html.HtmlReport;
import org.slt4j.testing.TinyNetworks;

/**
 * check, baseline and report on DL4J FileStatsStorage files written by real training runs: SltListener posting to
 * the storage (and to a JSONL file, for comparison) beside DL4J's StatsListener, in one or two sessions.
 */
class StatsStorageRunTest {

    @TempDir
    static Path dir;
    static Path single;
    static Path twoSessions;
    static Path jsonl;

    @BeforeAll
    static void train() throws IOException {
        single = dir.resolve("single.bin");
        jsonl = dir.resolve("first.jsonl");
        twoSessions = dir.resolve("two.bin");
        FileStatsStorage storage = new FileStatsStorage(single.toFile());
        train(storage, "first", 7, jsonl, 1);
        statsListenerOnly(storage, "dl4j-only");
        storage.close();
        FileStatsStorage two = new FileStatsStorage(twoSessions.toFile());
        train(two, "first", 7, dir.resolve("unused-first.jsonl"), 1);
        train(two, "second", 8, dir.resolve("unused-second.jsonl"), 3);
        two.close();
    }

    /**
     * Trains the tiny classifier 12 iterations with both listeners: LLC and scans every 4 iterations (0, 4, 8), the
     * spectrum in every {@code spectraEvery}-th scan.
     */
    private static void train(FileStatsStorage storage, String session, long seed, Path records, int spectraEvery)
            throws IOException {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, seed);
        DataSet data = TinyNetworks.blobs(60, 3);
        LlcConfig fast = new LlcConfig.Builder().trainingSetSize(60).chains(2).burnInSteps(3).draws(4)
                .batchSize(16).stepSize(1e-5).localization(100).threads(1).build();
        try (JsonlSink sink = new JsonlSink(records)) {
            SltListener slt = new SltListener.Builder(data, 60).llcConfig(fast)
                    .llcSchedule(Schedule.everyNIterations(4)).symmetrySchedule(Schedule.everyNIterations(4))
                    .spectraEvery(spectraEvery).overheadBudget(Double.POSITIVE_INFINITY).statsStorage(storage)
                    .sessionId(session).sink(sink)
                    .build();
            net.setListeners(new StatsListener(storage, 1, session), slt);
            for (int i = 0; i < 12; i++) {
                net.fit(data);
            }
            slt.close();
        }
    }

    private static void statsListenerOnly(FileStatsStorage storage, String session) {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 9);
        net.setListeners(new StatsListener(storage, 1, session));
        net.fit(TinyNetworks.blobs(60, 3));
    }

    @Test
    void theOnlySlt4jSessionIsChosenAndReadsAsTheSameRunAsItsJsonl() throws IOException {
        Path baseline = dir.resolve("from-jsonl.json");
        assertThat(CliRun.of("baseline", "--run", jsonl, "--out", baseline).exitCode()).isZero();
        long before = Files.size(single);

        CliRun fromStorage = CliRun.of("check", "--run", single, "--baseline", baseline, "--json");
        CliRun fromJsonl = CliRun.of("check", "--run", jsonl, "--baseline", baseline, "--json");

        assertThat(fromStorage.exitCode()).as(fromStorage.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(fromStorage.out()).contains("\"run\": \"single.bin (session first)\"")
                .contains("\"metrics\": 9");
        assertThat(fromStorage.out().replace("single.bin (session first)", "first.jsonl"))
                .isEqualTo(fromJsonl.out());
        assertThat(Files.size(single)).as("the file is read from a copy").isEqualTo(before);
        assertThat(dir.resolve("single.bin.wal.0")).doesNotExist();
    }

    @Test
    void aBaselineRecordedFromTheStorageNamesTheSessionAndTakesRanksFromTheLastSpectrum() throws IOException {
        Path baseline = dir.resolve("from-storage.json");

        CliRun recorded = CliRun.of("baseline", "--run", twoSessions, "--session", "second", "--out", baseline);

        CliRun check = CliRun.of("check", "--run", twoSessions, "--session", "second", "--baseline", baseline,
                "--json");

        assertThat(recorded.exitCode()).as(recorded.toString()).isZero();
        assertThat(Files.readString(baseline)).contains("\"source\": \"two.bin (session second)\"");
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(SltCli.EXIT_OK);
        JsonArray results = JsonParser.parseString(check.out()).getAsJsonObject().getAsJsonArray("results");
        assertThat(results.asList()).extracting(r -> r.getAsJsonObject().get("metric").getAsString() + "@"
                + r.getAsJsonObject().get("iteration").getAsLong())
                .as("spectraEvery(3): the ranks come from the scan at 0, the only one with a spectrum")
                .contains("layer0/EFFECTIVE_WIDTH@8", "layer0/EFFECTIVE_RANK@0", "layer1/EFFECTIVE_RANK@0");
    }

    @Test
    void reportOfASessionIsTheLibrarysReportOfItsRecords() throws IOException {
        Path html = dir.resolve("report.html");

        CliRun report = CliRun.of("report", "--run", twoSessions, "--session", "first", "--out", html);

        assertThat(report.exitCode()).as(report.toString()).isZero();
        assertThat(Files.readString(html)).isEqualTo(HtmlReport.render(RunHistory.readJsonl(
                dir.resolve("unused-first.jsonl")), "slt4j run two.bin (session first)"));
    }

    @Test
    void severalSessionsWithoutSessionIsBadInputListingThem() {
        CliRun report = CliRun.of("report", "--run", twoSessions, "--out", dir.resolve("none.html"));

        assertThat(report.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(report.err().lines()).singleElement().isEqualTo("slt4j report: error: " + twoSessions
                + " holds 2 slt4j sessions, choose one with --session: first, second");
        assertThat(dir.resolve("none.html")).doesNotExist();
    }

    @Test
    void anUnknownSessionIsBadInputListingTheSlt4jSessions() {
        CliRun check = CliRun.of("report", "--run", single, "--session", "dl4j-only", "--out",
                dir.resolve("x.html"));

        assertThat(check.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(check.err()).contains("session 'dl4j-only' has no slt4j records in " + single
                + " (slt4j sessions: first)");
    }

    @Test
    void sessionWithAJsonlRunOrAFileOfNeitherFormatIsBadInput() throws IOException {
        Path garbage = Files.write(dir.resolve("garbage.bin"), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

        CliRun jsonlSession = CliRun.of("report", "--run", jsonl, "--session", "first", "--out", dir.resolve("y.html"));
        CliRun neither = CliRun.of("report", "--run", garbage, "--out", dir.resolve("z.html"));

        assertThat(jsonlSession.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(jsonlSession.err()).contains("--session applies to FileStatsStorage files, and " + jsonl
                + " holds JSONL records");
        assertThat(neither.exitCode()).as(neither.toString()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(neither.err().lines()).singleElement().asString().contains("could not read run " + garbage
                + ": it is neither JSONL records nor a DL4J FileStatsStorage file");
    }
}
