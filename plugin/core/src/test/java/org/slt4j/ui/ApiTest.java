package org.slt4j.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.SampleRecords;
import org.slt4j.report.SegmentRecords;
import org.slt4j.report.storage.StatsListenerReports;
import org.slt4j.report.storage.StatsStorageSink;
import org.slt4j.testing.SyntheticRun;

class ApiTest {
    private static final String SESSION = "session-1";

    private final StatsStorage storage = new InMemoryStatsStorage();
    private final Sessions sessions = new Sessions();
    private final List<String> loaderCalls = new ArrayList<>();
    private Api api;

    @BeforeEach
    void storeSampleRun() {
        StatsStorageSink sink = new StatsStorageSink(storage);
        SampleRecords.all().forEach(sink::write);
        sink.close();
        sessions.attach(storage);
        // What the UI server does: storage events reach the module (synchronously here).
        storage.registerStatsStorageListener(e -> sessions.changed(List.of(e)));
        api = new Api(sessions, false, id -> {
            loaderCalls.add(id);
            return false;
        });
    }

    @Test
    void sessionsListsTheSessionsWithSlt4jRecordsButNotStatsListenerOnlySessions() {
        StatsListenerReports.post(storage, "dl4j-only", 3);

        JsonObject answer = ok(api.sessions());

        assertThat(answer.getAsJsonArray("sessions")).hasSize(1);
        JsonObject session = answer.getAsJsonArray("sessions").get(0).getAsJsonObject();
        assertThat(session.get("sessionId").getAsString()).isEqualTo(SESSION);
        assertThat(session.get("start").getAsString()).isEqualTo(SampleRecords.header().timestamp().toString());
        assertThat(session.get("overviewUrl").getAsString()).isEqualTo("/train/overview");
    }

    @Test
    void dataHasTheLlcWithItsStdTheBoundTheLayersAndTheEvents() {
        JsonObject data = ok(api.data(SESSION, null));

        assertThat(data.get("full").getAsBoolean()).isTrue();
        JsonObject llc = data.getAsJsonObject("llc");
        assertThat(llc.getAsJsonArray("iterations")).containsExactly(JsonParser.parseString("10"));
        assertThat(llc.getAsJsonArray("mean")).hasSize(1);
        assertThat(llc.getAsJsonArray("std")).hasSize(1);
        JsonObject scans = data.getAsJsonObject("scans");
        assertThat(scans.getAsJsonArray("bound")).hasSize(1);
        assertThat(scans.get("stride").getAsLong()).isEqualTo(1);
        assertThat(scans.getAsJsonArray("skipped").toString())
                .isEqualTo("[{\"layerName\":\"pool\",\"reason\":\"no weights\"}]");
        assertThat(scans.getAsJsonArray("layers")).hasSize(2);
        JsonObject hidden = scans.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertThat(hidden.get("name").getAsString()).isEqualTo("0");
        assertThat(hidden.getAsJsonArray("DEAD_FRACTION").get(0).getAsDouble()).isEqualTo(0.25);
        JsonObject events = data.getAsJsonObject("events");
        assertThat(events.get("total").getAsLong()).isEqualTo(1);
        assertThat(events.getAsJsonArray("events")).hasSize(1);
        assertThat(events.getAsJsonArray("events").get(0).getAsJsonObject().get("kind").getAsString())
                .isEqualTo("UNIT_DIED");
        assertThat(data.get("failures").getAsInt()).isEqualTo(1);
        assertThat(data.get("skips").getAsInt()).isEqualTo(1);
        assertThat(data.get("lastIteration").getAsLong()).isEqualTo(30);
    }

    @Test
    void dataFlagsUnreliableEstimatesWithTheirWarningsAndListsWhereTheLlcWasRecalibrated() {
        StatsStorageSink sink = new StatsStorageSink(storage);
        SegmentRecords.all().forEach(sink::write);

        JsonObject llc = ok(api.data(SegmentRecords.SESSION, null)).getAsJsonObject("llc");

        assertThat(llc.getAsJsonArray("iterations").toString()).isEqualTo("[10,20,40]");
        assertThat(llc.getAsJsonArray("reliable").toString()).isEqualTo("[true,false,true]");
        assertThat(llc.getAsJsonArray("warnings")).hasSize(3);
        assertThat(llc.getAsJsonArray("warnings").get(0).getAsJsonArray()).isEmpty();
        assertThat(llc.getAsJsonArray("warnings").get(1).getAsJsonArray().get(0).getAsString())
                .isEqualTo(SegmentRecords.WARNING);
        assertThat(llc.getAsJsonArray("segment").toString()).isEqualTo("[0,0,1]");
        assertThat(llc.getAsJsonArray("recalibrations").toString()).isEqualTo("[40]");
        JsonObject latest = ok(api.latest(SegmentRecords.SESSION)).getAsJsonObject("llc");
        assertThat(latest.get("segment").getAsInt()).isEqualTo(1);
        assertThat(latest.get("reliable").getAsBoolean()).isTrue();
    }

    @Test
    void lossComesFromSlt4jRecordsWithoutAStatsListenerWithNaNAsTheRecordSchemasString() {
        JsonObject loss = ok(api.data(SESSION, null)).getAsJsonObject("loss");

        assertThat(loss.get("source").getAsString()).isEqualTo("SLT4J");
        assertThat(loss.get("kind").getAsString()).isEqualTo("SCORE");
        assertThat(loss.get("width").getAsLong()).isEqualTo(1);
        assertThat(loss.getAsJsonArray("index").toString()).isEqualTo("[0,30]");
        JsonObject dataLoss = loss.getAsJsonArray("channels").get(0).getAsJsonObject();
        assertThat(dataLoss.getAsJsonArray("finite").toString()).isEqualTo("[1,0]");
        assertThat(dataLoss.getAsJsonArray("sum").toString()).isEqualTo("[1.25,0.0]");
        assertThat(dataLoss.getAsJsonArray("min").toString()).isEqualTo("[1.25,\"NaN\"]");
    }

    @Test
    void lossComesFromStatsListenerWhenSlt4jRecordedNoneAndIsLabelledAsTheScore() {
        InMemoryStatsStorage other = new InMemoryStatsStorage();
        new StatsStorageSink(other).write(SampleRecords.header());
        StatsListenerReports.post(other, SESSION, 4);
        Sessions only = new Sessions();
        only.attach(other);

        JsonObject loss = ok(new Api(only, false, id -> false).data(SESSION, null)).getAsJsonObject("loss");

        assertThat(loss.get("source").getAsString()).isEqualTo("STATS_LISTENER");
        assertThat(loss.get("kind").getAsString()).isEqualTo("SCORE");
        assertThat(loss.getAsJsonArray("iterationSum").toString()).isEqualTo("[0,1,2,3]");
        assertThat(loss.getAsJsonArray("channels").get(0).getAsJsonObject().getAsJsonArray("sum").toString())
                .isEqualTo("[1.0,0.5,0.3333333333333333,0.25]");
        assertThat(loss.get("scoreDiffers").getAsBoolean()).isFalse();
    }

    @Test
    void theLossIsTheDataLossAndTheRegularizedScoreComesBesideIt() {
        InMemoryStatsStorage other = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(other);
        sink.write(SampleRecords.header());
        sink.write(SampleRecords.loss(0, 3600.01, 0.01));
        sink.write(SampleRecords.loss(1, 3590.5, 0.25));
        sink.close();
        StatsListenerReports.post(other, SESSION, 2);
        Sessions only = new Sessions();
        only.attach(other);

        JsonObject loss = ok(new Api(only, false, id -> false).data(SESSION, null)).getAsJsonObject("loss");

        assertThat(loss.get("source").getAsString()).isEqualTo("SLT4J");
        assertThat(loss.get("kind").getAsString()).isEqualTo("DATA_LOSS");
        assertThat(loss.get("scoreDiffers").getAsBoolean()).isTrue();
        JsonArray channels = loss.getAsJsonArray("channels");
        assertThat(channels.get(0).getAsJsonObject().getAsJsonArray("sum").toString()).isEqualTo("[0.01,0.25]");
        assertThat(channels.get(1).getAsJsonObject().getAsJsonArray("sum").toString()).isEqualTo("[3600.01,3590.5]");
    }

    @Test
    void dataHasTheStagesOfTheLlcCurve() {
        InMemoryStatsStorage other = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(other);
        sink.write(SampleRecords.header());
        double[] llc = {1, 3, 5, 7, 6, 4, 2};
        for (int i = 0; i < llc.length; i++) {
            sink.write(SegmentRecords.llc(10L * i, llc[i], 0.05, 0));
        }
        Sessions only = new Sessions();
        only.attach(other);

        JsonObject answer = ok(new Api(only, false, id -> false).data(SESSION, null)).getAsJsonObject("llc");

        assertThat(answer.getAsJsonArray("stages").toString()).isEqualTo("[{\"start\":0,\"end\":30,\"kind\":\"RISING\","
                + "\"estimates\":4,\"llc\":[1.0,7.0]},{\"start\":30,\"end\":60,\"kind\":\"FALLING\",\"estimates\":4,"
                + "\"llc\":[7.0,2.0]}]");
        assertThat(ok(api.data(SESSION, null)).getAsJsonObject("llc").getAsJsonArray("stages")).isEmpty();
    }

    @Test
    void dataHasTheUserMetricsByNameAsPlainJsonStrings() {
        JsonObject metric = ok(api.data(SESSION, null)).getAsJsonArray("metrics").get(0).getAsJsonObject();

        assertThat(metric.get("name").getAsString()).isEqualTo(SampleRecords.HOSTILE_METRIC);
        assertThat(metric.getAsJsonArray("index").toString()).isEqualTo("[30]");
        assertThat(metric.getAsJsonArray("channels").get(0).getAsJsonObject().getAsJsonArray("sum").toString())
                .isEqualTo("[0.875]");
    }

    @Test
    void dataHasTheHeaderAndTheEventsInTheRecordSchemasForm() {
        JsonObject data = ok(api.data(SESSION, null));

        assertThat(data.getAsJsonObject("header")).isEqualTo(JsonParser.parseString(RecordJson.encode(SampleRecords.header())));
        assertThat(data.getAsJsonObject("events").getAsJsonArray("events").get(0))
                .isEqualTo(JsonParser.parseString(RecordJson.encode(SampleRecords.event(12).event())));
    }

    @Test
    void sinceTheCurrentVersionAnswersUnchangedUntilTheStorageReportsNewData() {
        String version = ok(api.data(SESSION, null)).get("version").getAsString();

        assertThat(ok(api.data(SESSION, version)).get("changed").getAsBoolean()).isFalse();

        StatsStorageSink sink = new StatsStorageSink(storage);
        sink.write(SampleRecords.header());
        sink.write(SampleRecords.loss(31, 0.5));
        sink.close();
        JsonObject again = ok(api.data(SESSION, version));
        assertThat(again.get("changed").getAsBoolean()).isTrue();
        assertThat(again.get("version").getAsString()).isNotEqualTo(version);
        assertThat(again.get("lastIteration").getAsLong()).isEqualTo(31);
    }

    @Test
    void aPollSendsOnlyTheBucketsAndRowsThatChangedSinceTheVersionItNames() {
        String version = ok(api.data(SESSION, null)).get("version").getAsString();
        StatsStorageSink sink = new StatsStorageSink(storage);
        sink.write(SampleRecords.header());
        sink.write(SampleRecords.loss(40, 0.5));
        sink.write(LlcRecord.of(SampleRecords.llc(10).estimate(), 40, 0, SampleRecords.START.plusSeconds(2)));

        JsonObject poll = ok(api.data(SESSION, version));

        assertThat(poll.get("full").getAsBoolean()).isFalse();
        assertThat(poll.getAsJsonObject("loss").get("reset").getAsBoolean()).isFalse();
        assertThat(poll.getAsJsonObject("loss").getAsJsonArray("index").toString()).isEqualTo("[40]");
        assertThat(poll.getAsJsonObject("llc").getAsJsonArray("iterations").toString()).isEqualTo("[40]");
        assertThat(poll.getAsJsonObject("llc").getAsJsonArray("seq").toString()).isEqualTo("[1]");
        assertThat(poll.getAsJsonArray("metrics")).isEmpty();
        assertThat(poll.getAsJsonObject("scans").getAsJsonArray("ordinal")).isEmpty();
        assertThat(poll.getAsJsonObject("events").getAsJsonArray("events")).isEmpty();
        assertThat(poll.get("llcEstimates").getAsInt()).isEqualTo(2);
    }

    @Test
    void aCursorOfAnotherStateOrFromTheFutureGetsEverything() {
        String version = ok(api.data(SESSION, null)).get("version").getAsString();
        long epoch = Long.parseLong(version.substring(0, version.indexOf('.')));

        assertThat(ok(api.data(SESSION, (epoch + 1) + ".1")).get("full").getAsBoolean()).isTrue();
        assertThat(ok(api.data(SESSION, epoch + ".999")).get("full").getAsBoolean()).isTrue();
    }

    @Test
    void recordsPostedBeforeTheFirstReadAreNotCountedTwiceWhenTheirEventsArriveLater() {
        InMemoryStatsStorage other = new InMemoryStatsStorage();
        List<StatsStorageEvent> late = new ArrayList<>();
        other.registerStatsStorageListener(late::add);
        StatsStorageSink sink = new StatsStorageSink(other);
        sink.write(SampleRecords.header());
        sink.write(SampleRecords.loss(0, 2.0));
        sink.write(SampleRecords.loss(1, 1.0));
        sink.close();
        Sessions only = new Sessions();
        only.attach(other);
        Api fresh = new Api(only, false, id -> false);
        String version = ok(fresh.data(SESSION, null)).get("version").getAsString();

        only.changed(late);

        JsonObject loss = ok(fresh.data(SESSION, null)).getAsJsonObject("loss");
        assertThat(loss.getAsJsonArray("count").toString()).isEqualTo("[1,1]");
        assertThat(ok(fresh.data(SESSION, version)).get("changed").getAsBoolean()).isFalse();
    }

    @Test
    void aRunPostedInBatchesAnswersExactlyAsOnePostedRecordByRecordReadInFullOrAsItArrives() {
        SyntheticRun run = new SyntheticRun(100, 50, 100);
        List<JsonObject> unbatched = pageAnswers(run, 1);

        assertThat(unbatched.get(1)).as("read as it arrived, record by record").isEqualTo(unbatched.get(0));
        assertThat(unbatched.get(0).getAsJsonObject("loss").get("width").getAsLong()).as("buckets widened")
                .isEqualTo(4);
        for (int maxBatch : new int[] {37, StatsStorageSink.DEFAULT_MAX_BATCH}) {
            assertThat(pageAnswers(run, maxBatch)).as("batches of up to %s", maxBatch)
                    .containsExactly(unbatched.get(0), unbatched.get(0));
        }
    }

    /**
     * The page's full answer for 6,000 iterations of a run posted with the given batch size: read in full after the
     * run, and read as it arrived (storage events), without their versions.
     */
    private static List<JsonObject> pageAnswers(SyntheticRun run, int maxBatch) {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        Sessions watching = new Sessions();
        watching.attach(storage);
        storage.registerStatsStorageListener(e -> watching.changed(List.of(e)));
        StatsStorageSink sink = new StatsStorageSink(storage, maxBatch, Duration.ofMinutes(10));
        sink.write(run.header());
        run.records(0, 6_000).forEach(sink::write);
        sink.close();
        Sessions afterwards = new Sessions();
        afterwards.attach(storage);
        List<JsonObject> answers = new ArrayList<>();
        for (Sessions s : List.of(afterwards, watching)) {
            JsonObject data = ok(new Api(s, false, id -> false).data(SyntheticRun.SESSION, null));
            data.remove("version");
            answers.add(data);
        }
        return answers;
    }

    @Test
    void latestHasTheChainsTracesRHatAndConfiguration() {
        JsonObject llc = ok(api.latest(SESSION)).getAsJsonObject("llc");

        assertThat(llc.get("iteration").getAsLong()).isEqualTo(10);
        assertThat(llc.has("rHat")).isTrue();
        assertThat(llc.getAsJsonArray("chains")).hasSize(2);
        assertThat(llc.getAsJsonArray("chains").get(0).getAsJsonObject().getAsJsonArray("lossTrace")).hasSize(8);
        assertThat(llc.getAsJsonObject("config").get("chains").getAsInt()).isEqualTo(2);
    }

    @Test
    void latestSendsSeedsAsStringsSoJavaScriptKeepsEveryDigit() {
        JsonObject llc = ok(api.latest(SESSION)).getAsJsonObject("llc");

        JsonObject chain = llc.getAsJsonArray("chains").get(0).getAsJsonObject();
        assertThat(chain.get("seed").getAsJsonPrimitive().isString()).isTrue();
        assertThat(Long.parseLong(chain.get("seed").getAsString()))
                .isEqualTo(SampleRecords.llc(10).estimate().chains().get(0).seed());
        assertThat(llc.getAsJsonObject("config").get("seed").getAsJsonPrimitive().isString()).isTrue();
    }

    @Test
    void latestIsNullForASessionWithoutEstimates() {
        List<DiagnosticRecord> noLlc = List.of(SampleRecords.header(), SampleRecords.loss(0, 1));
        InMemoryStatsStorage other = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(other);
        noLlc.forEach(sink::write);
        Sessions only = new Sessions();
        only.attach(other);

        JsonObject answer = ok(new Api(only, false, id -> false).latest(SESSION));

        assertThat(answer.get("llc").isJsonNull()).isTrue();
    }

    @Test
    void badParametersAnswer400WithAJsonError() {
        assertError(api.data(null, null), 400, "session parameter is required");
        assertError(api.data("", null), 400, "session parameter is required");
        assertError(api.data(SESSION, "abc"), 400, "since must be the version of an earlier answer");
        assertError(api.data(SESSION, "1"), 400, "since");
        assertError(api.data(SESSION, "1.2.3"), 400, "since");
        assertError(api.data(SESSION, "1.-2"), 400, "since");
        assertError(api.data(SESSION, "1.x"), 400, "since");
        assertError(api.latest(null), 400, "session parameter is required");
    }

    @Test
    void unknownSessionsAnswer404AfterAskingTheStorageLoader() {
        assertError(api.data("nope<script>", null), 404, "no slt4j session with ID nope<script>");
        assertError(api.latest("nope"), 404, "no slt4j session");
        assertThat(loaderCalls).containsExactly("nope<script>", "nope");
    }

    @Test
    void aDetachedStorageNoLongerServesItsSessions() {
        sessions.detach(storage);

        assertError(api.data(SESSION, null), 404, "no slt4j session");
        assertThat(ok(api.sessions()).getAsJsonArray("sessions")).isEmpty();
    }

    @Test
    void multiSessionOverviewLinksEncodeTheSessionId() {
        Api multi = new Api(sessions, true, id -> false);

        assertThat(ok(multi.data(SESSION, null)).get("overviewUrl").getAsString())
                .isEqualTo("/train/session-1/overview");
        assertThat(ok(multi.sessions()).get("multiSession").getAsBoolean()).isTrue();
    }

    private static JsonObject ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return JsonParser.parseString(answer.body()).getAsJsonObject();
    }

    private static void assertError(Answer answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonObject body = JsonParser.parseString(answer.body()).getAsJsonObject();
        assertThat(body.get("error").getAsString()).contains(message);
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
