package org.slt4j.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.SampleRecords;
import org.slt4j.report.SegmentRecords;
import org.slt4j.report.storage.StatsListenerReports;
import org.slt4j.report.storage.StatsStorageSink;

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
        sessions.attach(storage);
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
        assertThat(session.get("llcEstimates").getAsInt()).isEqualTo(1);
        assertThat(session.get("overviewUrl").getAsString()).isEqualTo("/train/overview");
    }

    @Test
    void dataHasTheLlcWithItsStdTheBoundTheLayersAndTheEvents() {
        JsonObject data = ok(api.data(SESSION, null, null));

        JsonObject llc = data.getAsJsonObject("llc");
        assertThat(llc.getAsJsonArray("iterations")).containsExactly(JsonParser.parseString("10"));
        assertThat(llc.getAsJsonArray("mean")).hasSize(1);
        assertThat(llc.getAsJsonArray("std")).hasSize(1);
        assertThat(data.getAsJsonObject("bound").getAsJsonArray("values")).hasSize(1);
        assertThat(data.getAsJsonArray("layers")).hasSize(2);
        JsonObject hidden = data.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertThat(hidden.get("name").getAsString()).isEqualTo("0");
        assertThat(hidden.getAsJsonArray("DEAD_FRACTION").get(0).getAsDouble()).isEqualTo(0.25);
        assertThat(data.getAsJsonArray("events")).hasSize(1);
        assertThat(data.getAsJsonArray("events").get(0).getAsJsonObject().get("kind").getAsString())
                .isEqualTo("UNIT_DIED");
        assertThat(data.get("failures").getAsInt()).isEqualTo(1);
    }

    @Test
    void dataFlagsUnreliableEstimatesWithTheirWarningsAndListsWhereTheLlcWasRecalibrated() {
        StatsStorageSink sink = new StatsStorageSink(storage);
        SegmentRecords.all().forEach(sink::write);

        JsonObject llc = ok(api.data(SegmentRecords.SESSION, null, null)).getAsJsonObject("llc");

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
        JsonObject loss = ok(api.data(SESSION, null, null)).getAsJsonObject("loss");

        assertThat(loss.get("source").getAsString()).isEqualTo("SLT4J");
        assertThat(loss.get("kind").getAsString()).isEqualTo("SCORE");
        assertThat(loss.getAsJsonArray("values").toString()).isEqualTo("[1.25,\"NaN\"]");
        assertThat(loss.get("smoothed").isJsonNull()).isTrue();
    }

    @Test
    void lossComesFromStatsListenerWhenSlt4jRecordedNoneAndIsLabelledAsTheScore() {
        InMemoryStatsStorage other = new InMemoryStatsStorage();
        new StatsStorageSink(other).write(SampleRecords.header());
        StatsListenerReports.post(other, SESSION, 4);
        Sessions only = new Sessions();
        only.attach(other);

        JsonObject loss = ok(new Api(only, false, id -> false).data(SESSION, "0.5", null)).getAsJsonObject("loss");

        assertThat(loss.get("source").getAsString()).isEqualTo("STATS_LISTENER");
        assertThat(loss.get("kind").getAsString()).isEqualTo("SCORE");
        assertThat(loss.getAsJsonArray("iterations").toString()).isEqualTo("[0,1,2,3]");
        assertThat(loss.getAsJsonArray("smoothed")).hasSize(4);
        assertThat(loss.get("score").isJsonNull()).isTrue();
    }

    @Test
    void theLossIsTheDataLossAndTheRegularizedScoreComesBesideIt() {
        InMemoryStatsStorage other = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(other);
        sink.write(SampleRecords.header());
        sink.write(SampleRecords.loss(0, 3600.01, 0.01));
        sink.write(SampleRecords.loss(1, 3590.5, 0.25));
        StatsListenerReports.post(other, SESSION, 2);
        Sessions only = new Sessions();
        only.attach(other);

        JsonObject loss = ok(new Api(only, false, id -> false).data(SESSION, null, null)).getAsJsonObject("loss");

        assertThat(loss.get("source").getAsString()).isEqualTo("SLT4J");
        assertThat(loss.get("kind").getAsString()).isEqualTo("DATA_LOSS");
        assertThat(loss.getAsJsonArray("values").toString()).isEqualTo("[0.01,0.25]");
        assertThat(loss.getAsJsonArray("score").toString()).isEqualTo("[3600.01,3590.5]");
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

        JsonObject data = ok(new Api(only, false, id -> false).data(SESSION, null, null));

        assertThat(data.getAsJsonArray("stages").toString()).isEqualTo("[{\"start\":0,\"end\":30,\"kind\":\"RISING\","
                + "\"estimates\":4,\"llc\":[1.0,7.0]},{\"start\":30,\"end\":60,\"kind\":\"FALLING\",\"estimates\":4,"
                + "\"llc\":[7.0,2.0]}]");
        assertThat(ok(api.data(SESSION, null, null)).getAsJsonArray("stages")).isEmpty();
    }

    @Test
    void dataHasTheUserMetricsByNameAsPlainJsonStrings() {
        JsonObject metric = ok(api.data(SESSION, null, null)).getAsJsonArray("metrics").get(0).getAsJsonObject();

        assertThat(metric.get("name").getAsString()).isEqualTo(SampleRecords.HOSTILE_METRIC);
        assertThat(metric.getAsJsonArray("iterations").toString()).isEqualTo("[30]");
        assertThat(metric.getAsJsonArray("values").toString()).isEqualTo("[0.875]");
    }

    @Test
    void dataHasTheHeaderAndTheEventsInTheRecordSchemasForm() {
        JsonObject data = ok(api.data(SESSION, null, null));

        assertThat(data.getAsJsonObject("header")).isEqualTo(JsonParser.parseString(RecordJson.encode(SampleRecords.header())));
        assertThat(data.getAsJsonArray("events").get(0))
                .isEqualTo(JsonParser.parseString(RecordJson.encode(SampleRecords.event(12).event())));
    }

    @Test
    void sinceTheCurrentVersionAnswersUnchangedUntilTheStorageReportsNewData() {
        long version = ok(api.data(SESSION, null, null)).get("version").getAsLong();

        assertThat(ok(api.data(SESSION, null, String.valueOf(version))).get("changed").getAsBoolean()).isFalse();

        new StatsStorageSink(storage).write(SampleRecords.header());
        sessions.changed(SESSION);
        JsonObject again = ok(api.data(SESSION, null, String.valueOf(version)));
        assertThat(again.get("changed").getAsBoolean()).isTrue();
        assertThat(again.get("version").getAsLong()).isGreaterThan(version);
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
        assertError(api.data(null, null, null), 400, "session parameter is required");
        assertError(api.data("", null, null), 400, "session parameter is required");
        assertError(api.data(SESSION, "abc", null), 400, "smoothing");
        assertError(api.data(SESSION, "1", null), 400, "smoothing must be in [0, 1)");
        assertError(api.data(SESSION, "-0.5", null), 400, "smoothing must be in [0, 1)");
        assertError(api.data(SESSION, "NaN", null), 400, "smoothing must be in [0, 1)");
        assertError(api.data(SESSION, null, "1.5"), 400, "since");
        assertError(api.latest(null), 400, "session parameter is required");
    }

    @Test
    void unknownSessionsAnswer404AfterAskingTheStorageLoader() {
        assertError(api.data("nope<script>", null, null), 404, "no slt4j session with ID nope<script>");
        assertError(api.latest("nope"), 404, "no slt4j session");
        assertThat(loaderCalls).containsExactly("nope<script>", "nope");
    }

    @Test
    void aDetachedStorageNoLongerServesItsSessions() {
        sessions.detach(storage);

        assertError(api.data(SESSION, null, null), 404, "no slt4j session");
        assertThat(ok(api.sessions()).getAsJsonArray("sessions")).isEmpty();
    }

    @Test
    void multiSessionOverviewLinksEncodeTheSessionId() {
        Api multi = new Api(sessions, true, id -> false);

        assertThat(ok(multi.data(SESSION, null, null)).get("overviewUrl").getAsString())
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
