package org.slt4j.ui;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.core.storage.StatsStorage;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.report.EventRecord;
import org.slt4j.report.LayerMetric;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHeader;
import org.slt4j.report.RunHistory;
import org.slt4j.report.Series;
import org.slt4j.report.Stage;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.report.storage.StoredRun;

/**
 * One session as read from its StatsStorage at one moment ({@link StoredRun}: the slt4j records and the loss),
 * ready to answer the page's requests. Immutable; reading it ({@link #read}) touches the storage and must not run
 * on the event loop.
 *
 * <p>Every number and record is in the record schema's JSON form ({@link RecordJson}: non-finite doubles are the
 * strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}); the only difference is that seeds are strings,
 * which JavaScript cannot hold as numbers.
 */
final class SessionSnapshot {
    private static final LayerMetric[] LAYER_METRICS = {LayerMetric.EFFECTIVE_WIDTH, LayerMetric.NUMERICAL_RANK,
            LayerMetric.EFFECTIVE_RANK, LayerMetric.STABLE_RANK, LayerMetric.DEAD_FRACTION,
            LayerMetric.DUPLICATE_FRACTION};

    private final String sessionId;
    private final StatsStorage storage;
    private final long version;
    private final RunHistory history;
    private final StoredRun.LossSource lossSource;

    private SessionSnapshot(String sessionId, StatsStorage storage, long version, StoredRun run) {
        this.sessionId = sessionId;
        this.storage = storage;
        this.version = version;
        this.history = run.history();
        this.lossSource = run.lossSource();
    }

    /**
     * Reads a session (blocking: storage access).
     *
     * @param version the session's change counter when the read started
     */
    static SessionSnapshot read(StatsStorage storage, String sessionId, long version) {
        return new SessionSnapshot(sessionId, storage, version, StoredRun.read(storage, sessionId));
    }

    String sessionId() {
        return sessionId;
    }

    StatsStorage storage() {
        return storage;
    }

    long version() {
        return version;
    }

    /** When the run started ({@link Instant#EPOCH} when its header is missing). */
    Instant start() {
        return history.header().map(RunHeader::timestamp).orElse(Instant.EPOCH);
    }

    /** The session's line in the session list. */
    JsonObject summary(String overviewUrl) {
        JsonObject o = new JsonObject();
        o.addProperty("sessionId", sessionId);
        o.addProperty("version", version);
        Optional<RunHeader> header = history.header();
        o.addProperty("start", header.map(h -> h.timestamp().toString()).orElse(null));
        o.addProperty("modelType", header.map(RunHeader::modelType).orElse(null));
        o.addProperty("llcEstimates", history.llcRecords().size());
        o.addProperty("symmetryScans", history.symmetryRecords().size());
        o.addProperty("lastIteration", history.records().isEmpty() ? -1
                : history.records().get(history.records().size() - 1).iteration());
        o.addProperty("overviewUrl", overviewUrl);
        return o;
    }

    /**
     * Everything the charts show.
     *
     * @param smoothing the loss smoothing weight in [0, 1); 0 for none
     */
    JsonObject data(double smoothing, String overviewUrl) {
        JsonObject o = summary(overviewUrl);
        o.addProperty("changed", true);
        o.add("header", history.header().map(h -> JsonParser.parseString(RecordJson.encode(h)))
                .orElse(JsonNull.INSTANCE));

        Series lossSeries = history.loss();
        JsonObject lossJson = new JsonObject();
        lossJson.addProperty("source", lossSource.name());
        lossJson.addProperty("kind", history.lossKind().name());
        lossJson.add("iterations", longs(lossSeries.iterations()));
        lossJson.add("values", numbers(lossSeries.values()));
        // The regularized score, at the same iterations, only where it differs from the data loss.
        lossJson.add("score", history.scoreDiffersFromLoss() ? numbers(history.score().values()) : JsonNull.INSTANCE);
        lossJson.addProperty("smoothing", smoothing);
        lossJson.add("smoothed", smoothing > 0
                ? numbers(LossSmoothing.debiasedEma(lossSeries.values(), smoothing)) : null);
        o.add("loss", lossJson);

        List<LlcEstimate> llc = history.llcRecords().stream().map(LlcRecord::estimate).toList();
        JsonObject llcJson = new JsonObject();
        llcJson.add("iterations", longs(history.llcRecords().stream().mapToLong(LlcRecord::iteration).toArray()));
        llcJson.add("mean", numbers(llc, LlcEstimate::mean));
        llcJson.add("std", numbers(llc, LlcEstimate::std));
        llcJson.add("standardError", numbers(llc, LlcEstimate::standardError));
        llcJson.add("rHat", numbers(llc, LlcEstimate::rHat));
        llcJson.add("divergedChains", longs(llc.stream().mapToLong(LlcEstimate::divergedChains).toArray()));
        JsonArray reliable = new JsonArray(llc.size());
        JsonArray warnings = new JsonArray(llc.size());
        for (LlcEstimate e : llc) {
            reliable.add(e.isReliable());
            JsonArray w = new JsonArray(e.warnings().size());
            e.warnings().forEach(w::add);
            warnings.add(w);
        }
        llcJson.add("reliable", reliable);
        llcJson.add("warnings", warnings);
        llcJson.add("segment", longs(history.llcRecords().stream().mapToLong(LlcRecord::segment).toArray()));
        llcJson.add("recalibrations", longs(history.llcRecalibrations()));
        o.add("llc", llcJson);

        List<SymmetryRecord> scans = history.symmetryRecords();
        Series bound = history.llcUpperBound();
        JsonObject boundJson = new JsonObject();
        boundJson.add("iterations", longs(bound.iterations()));
        boundJson.add("values", numbers(bound.values()));
        boundJson.add("removableDirections",
                longs(scans.stream().mapToLong(s -> s.snapshot().removableDirections()).toArray()));
        boundJson.add("parameters", longs(scans.stream().mapToLong(s -> s.snapshot().totalParameters()).toArray()));
        o.add("bound", boundJson);

        JsonArray layers = new JsonArray();
        for (String name : history.layerNames()) {
            JsonObject layer = new JsonObject();
            layer.addProperty("name", name);
            layer.add("iterations", longs(history.layer(name, LAYER_METRICS[0]).iterations()));
            for (LayerMetric metric : LAYER_METRICS) {
                layer.add(metric.name(), numbers(history.layer(name, metric).values()));
            }
            layers.add(layer);
        }
        o.add("layers", layers);

        JsonArray metrics = new JsonArray();
        for (String name : history.metricNames()) {
            Series series = history.metric(name);
            JsonObject metric = new JsonObject();
            metric.addProperty("name", name);
            metric.add("iterations", longs(series.iterations()));
            metric.add("values", numbers(series.values()));
            metrics.add(metric);
        }
        o.add("metrics", metrics);

        JsonArray stages = new JsonArray();
        for (Stage s : history.stages()) {
            JsonObject stage = new JsonObject();
            stage.addProperty("start", s.start());
            stage.addProperty("end", s.end());
            stage.addProperty("kind", s.kind().name());
            stage.addProperty("estimates", s.estimates());
            stage.add("llc", numbers(new double[] {s.startLlc(), s.endLlc()}));
            stages.add(stage);
        }
        o.add("stages", stages);

        JsonArray events = new JsonArray();
        for (EventRecord e : history.events()) {
            events.add(JsonParser.parseString(RecordJson.encode(e.event())));
        }
        o.add("events", events);
        o.addProperty("failures", history.failures().size());
        o.addProperty("skips", history.skips().size());
        return o;
    }

    /**
     * The latest LLC estimate in full (chains with traces, R-hat, configuration); JSON null when none yet. Seeds are
     * strings: as JSON numbers, 64-bit seeds would lose digits in JavaScript.
     */
    JsonObject latest() {
        JsonObject o = new JsonObject();
        o.addProperty("sessionId", sessionId);
        o.addProperty("version", version);
        o.add("llc", history.latestLlc().<JsonElement>map(SessionSnapshot::withSeedsAsStrings)
                .orElse(JsonNull.INSTANCE));
        return o;
    }

    private static JsonObject withSeedsAsStrings(LlcRecord record) {
        JsonObject llc = JsonParser.parseString(RecordJson.encode(record)).getAsJsonObject();
        List<JsonObject> withSeeds = new ArrayList<>();
        withSeeds.add(llc.getAsJsonObject("config"));
        llc.getAsJsonArray("chains").forEach(c -> withSeeds.add(c.getAsJsonObject()));
        for (JsonObject x : withSeeds) {
            if (x != null && x.has("seed")) {
                x.addProperty("seed", x.get("seed").getAsString());
            }
        }
        return llc;
    }

    private static JsonArray longs(long[] values) {
        JsonArray a = new JsonArray(values.length);
        for (long v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonArray numbers(List<LlcEstimate> estimates, ToDoubleFunction<LlcEstimate> value) {
        return numbers(estimates.stream().mapToDouble(value).toArray());
    }

    /** Numbers as the record schema writes them (non-finite ones as strings), from the one encoder of them. */
    private static JsonArray numbers(double[] values) {
        return JsonParser.parseString(RecordJson.encode(values)).getAsJsonArray();
    }
}
