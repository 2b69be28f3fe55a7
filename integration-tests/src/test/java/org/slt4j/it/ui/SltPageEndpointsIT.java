package org.slt4j.it.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.slt4j.it.ui.UiServer.await;
import static org.slt4j.it.ui.UiServer.encode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.core.storage.impl.RemoteUIStatsStorageRouter;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slt4j.listener.SltListener;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.report.storage.StoredRun;

/** The slt4j page's endpoints on a real UI server (random loopback port) fed by real tiny training runs. */
class SltPageEndpointsIT {
    private static UiServer ui;
    private static SharedRuns runs;

    @BeforeAll
    static void startServer() {
        runs = SharedRuns.get();
        ui = UiServer.start();
        ui.server().attach(runs.storage());
    }

    @AfterAll
    static void stopServer() throws Exception {
        ui.close();
    }

    @Test
    void thePageIsServedWithItsAssetsAndTheUiOwnLibraries() {
        HttpResponse<String> page = ui.get("/slt");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("html"));
        assertThat(page.body()).contains("id=\"llcChart\"").contains("/train/overview");
        for (String asset : List.of("/assets/slt/slt.js", "/assets/slt/slt.css",
                "/assets/webjars/flot/0.8.3/jquery.flot.js", "/assets/webjars/flot/0.8.3/jquery.flot.fillbetween.js",
                "/assets/webjars/jquery/3.4.1/dist/jquery.min.js",
                "/assets/webjars/coreui__coreui/2.1.9/dist/css/coreui.min.css")) {
            assertThat(ui.get(asset).statusCode()).as(asset).isEqualTo(200);
        }
    }

    @Test
    void sessionsListsTheRunsWithTheirEstimates() {
        JsonArray sessions = ui.json("/slt/api/sessions").getAsJsonArray("sessions");

        List<String> ids = new ArrayList<>();
        sessions.forEach(s -> ids.add(s.getAsJsonObject().get("sessionId").getAsString()));
        assertThat(ids).contains(SharedRuns.WITH_STATS_LISTENER, SharedRuns.SLT_ONLY);
        sessions.forEach(s -> assertThat(s.getAsJsonObject().get("start").isJsonNull()).isFalse());
    }

    @Test
    void dataOfARunHasEveryEstimateScanEventAndLossPoint() {
        JsonObject data = ui.data(SharedRuns.SLT_ONLY);
        RunHistory stored = StoredRun.read(runs.storage(), SharedRuns.SLT_ONLY).history();

        assertThat(longs(data.getAsJsonObject("llc").getAsJsonArray("iterations")))
                .containsExactly(UiRuns.LLC_ITERATIONS[0], UiRuns.LLC_ITERATIONS[1], UiRuns.LLC_ITERATIONS[2]);
        assertThat(data.getAsJsonObject("llc").getAsJsonArray("std")).hasSize(UiRuns.LLC_ITERATIONS.length)
                .allMatch(JsonElement::isJsonPrimitive, "is a number");
        assertThat(data.getAsJsonObject("loss").get("source").getAsString()).isEqualTo("SLT4J");
        assertThat(data.getAsJsonObject("loss").get("width").getAsLong()).isEqualTo(1);
        assertThat(data.getAsJsonObject("loss").getAsJsonArray("index")).hasSize(UiRuns.ITERATIONS);
        JsonObject scans = data.getAsJsonObject("scans");
        assertThat(scans.getAsJsonArray("bound")).hasSize(UiRuns.ITERATIONS / 5);
        assertThat(scans.getAsJsonArray("layers")).extracting(l -> l.getAsJsonObject().get("name").getAsString())
                .containsExactly(UiRuns.HOSTILE_LAYER, "out");
        assertThat(data.getAsJsonObject("events").getAsJsonArray("events")).hasSize(stored.events().size());
        assertThat(data.getAsJsonObject("events").get("total").getAsInt()).isEqualTo(stored.events().size());
        assertThat(stored.events()).as("events of the tiny run").isNotEmpty();
    }

    @Test
    void theLossIsSlt4jsDataLossEvenBesideStatsListenerAndTheRegularizedScoreComesWithIt() {
        JsonObject loss = ui.data(SharedRuns.WITH_STATS_LISTENER).getAsJsonObject("loss");

        List<LossRecord> stored = StoredRun.read(runs.storage(), SharedRuns.WITH_STATS_LISTENER).history()
                .lossRecords();
        assertThat(runs.storage().getAllUpdatesAfter(SharedRuns.WITH_STATS_LISTENER, StatsListener.TYPE_ID,
                Long.MIN_VALUE)).as("StatsListener reported to the session too").isNotEmpty();
        assertThat(loss.get("source").getAsString()).isEqualTo("SLT4J");
        assertThat(loss.get("kind").getAsString()).isEqualTo("DATA_LOSS");
        assertThat(loss.get("scoreDiffers").getAsBoolean()).isTrue();
        List<Double> values = UiServer.means(loss, 0);
        List<Double> score = UiServer.means(loss, 1);
        assertThat(values).hasSize(UiRuns.ITERATIONS);
        for (int i = 0; i < stored.size(); i++) {
            assertThat(values.get(i)).isEqualTo(stored.get(i).dataLoss());
            // l2(0.02): the score is the data loss plus a positive penalty.
            assertThat(score.get(i)).isEqualTo(stored.get(i).score()).isGreaterThan(values.get(i));
        }
    }

    @Test
    void userMetricsComeWithTheDataUnderTheirOwnNamesHostileOnesIncluded() {
        JsonArray metrics = ui.data(SharedRuns.SLT_ONLY).getAsJsonArray("metrics");
        RunHistory stored = StoredRun.read(runs.storage(), SharedRuns.SLT_ONLY).history();

        List<String> names = new ArrayList<>();
        metrics.forEach(m -> names.add(m.getAsJsonObject().get("name").getAsString()));
        assertThat(names).containsExactly("test accuracy", "test precision", "test recall", "test F1",
                "weight norm " + UiRuns.HOSTILE_LAYER);
        JsonObject accuracy = metrics.get(0).getAsJsonObject();
        assertThat(accuracy.getAsJsonArray("index")).hasSize(UiRuns.ITERATIONS / UiRuns.EVALUATION_EVERY);
        assertThat(accuracy.getAsJsonArray("index").get(1).getAsLong()).isEqualTo(UiRuns.EVALUATION_EVERY);
        List<Double> values = UiServer.means(accuracy, 0);
        for (int i = 0; i < values.size(); i++) {
            assertThat(values.get(i)).isEqualTo(stored.metric("test accuracy").values()[i]).isBetween(0.0, 1.0);
        }
        assertThat(metrics.get(4).getAsJsonObject().getAsJsonArray("index")).hasSize(UiRuns.ITERATIONS);
    }

    @Test
    void latestHasTheLastEstimatesChainTracesRHatAndConfiguration() {
        JsonObject llc = ui.json("/slt/api/latest?session=" + encode(SharedRuns.SLT_ONLY)).getAsJsonObject("llc");

        assertThat(llc.get("iteration").getAsLong()).isEqualTo(UiRuns.LLC_ITERATIONS[2]);
        assertThat(llc.has("rHat")).isTrue();
        assertThat(llc.getAsJsonArray("chains")).hasSize(3)
                .allSatisfy(c -> assertThat(c.getAsJsonObject().getAsJsonArray("lossTrace")).hasSize(40));
        assertThat(llc.getAsJsonObject("config").get("burnInSteps").getAsInt()).isEqualTo(30);
    }

    @Test
    void unknownSessionsAndBadParametersAnswerJsonErrorsWithoutStackTraces() {
        assertError(ui.get("/slt/api/data?session=nope"), 404);
        assertError(ui.get("/slt/api/latest?session=nope"), 404);
        assertError(ui.get("/slt/api/data"), 400);
        assertError(ui.get("/slt/api/data?session=" + encode(SharedRuns.SLT_ONLY) + "&since=x"), 400);
        assertError(ui.get("/slt/api/data?session=" + encode(SharedRuns.SLT_ONLY) + "&since=1.2.3"), 400);
    }

    @Test
    void aRunTrainingNowShowsUpAsItTrains() {
        InMemoryStatsStorage live = new InMemoryStatsStorage();
        ui.server().attach(live);
        SltListener slt = UiRuns.listener("live", live);
        MultiLayerNetwork net = UiRuns.network("hidden");
        net.setListeners(slt);
        for (int i = 0; i < 30; i++) {
            net.fit(UiRuns.blobs());
        }
        await("the first 30 iterations are served", () -> lossPoints("live") == 30);
        String version = ui.data("live").get("version").getAsString();
        assertThat(ui.json("/slt/api/data?session=live&since=" + version).get("changed").getAsBoolean()).isFalse();

        for (int i = 30; i < UiRuns.ITERATIONS; i++) {
            net.fit(UiRuns.blobs());
        }
        slt.close();

        await("all iterations are served", () -> lossPoints("live") == UiRuns.ITERATIONS);
        await("all estimates are served", () -> ui.data("live").getAsJsonObject("llc")
                .getAsJsonArray("iterations").size() == UiRuns.LLC_ITERATIONS.length);
        JsonObject poll = ui.json("/slt/api/data?session=live&since=" + version);
        assertThat(poll.get("changed").getAsBoolean()).isTrue();
        assertThat(poll.get("full").getAsBoolean()).isFalse();
        assertThat(longs(poll.getAsJsonObject("loss").getAsJsonArray("index"))).as("only the new loss buckets")
                .hasSize(UiRuns.ITERATIONS - 30).allMatch(i -> i >= 30);
        ui.server().detach(live);
    }

    @Test
    void aFinishedRunLoadsFromAFileStatsStorage() throws Exception {
        JsonObject inMemory = ui.data(SharedRuns.SLT_ONLY);
        FileStatsStorage file = new FileStatsStorage(runs.file());
        ui.server().detach(runs.storage());
        ui.server().attach(file);
        try {
            JsonObject fromFile = ui.data(SharedRuns.SLT_ONLY);

            assertThat(fromFile.getAsJsonObject("llc")).isEqualTo(inMemory.getAsJsonObject("llc"));
            assertThat(fromFile.getAsJsonObject("scans")).isEqualTo(inMemory.getAsJsonObject("scans"));
            assertThat(fromFile.getAsJsonObject("events")).isEqualTo(inMemory.getAsJsonObject("events"));
            assertThat(fromFile.getAsJsonObject("loss")).isEqualTo(inMemory.getAsJsonObject("loss"));
            assertThat(ui.json("/slt/api/latest?session=" + encode(SharedRuns.SLT_ONLY)).getAsJsonObject("llc")
                    .getAsJsonArray("chains")).hasSize(3);
        } finally {
            ui.server().detach(file);
            ui.server().attach(runs.storage());
            file.close();
        }
    }

    @Test
    void runsPostedThroughTheRemoteRouterAreShown() {
        ui.server().enableRemoteListener();
        RemoteUIStatsStorageRouter remote = new RemoteUIStatsStorageRouter(ui.base());
        try {
            UiRuns.train(20, "hidden", UiRuns.listener("remote", remote));
            await("the remote run's 20 iterations are served", () -> lossPoints("remote") == 20);
            await("the remote run's estimate is served", () -> ui.data("remote").getAsJsonObject("llc")
                    .getAsJsonArray("iterations").size() == 1);
        } finally {
            remote.shutdown();
            ui.server().disableRemoteListener();
        }
    }

    private static int lossPoints(String session) {
        HttpResponse<String> response = ui.get("/slt/api/data?session=" + encode(session));
        return response.statusCode() != 200 ? -1
                : JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("loss")
                        .getAsJsonArray("index").size();
    }

    private static List<Long> longs(JsonArray array) {
        List<Long> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsLong()));
        return out;
    }

    private static void assertError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        assertThat(response.body()).startsWith("{\"error\":").doesNotContain("Exception").doesNotContain("\tat ");
    }
}
