package org.slt4j.ui;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.slt4j.report.EventRecord;
import org.slt4j.report.LayerMetric;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHeader;
import org.slt4j.report.RunHistory;
import org.slt4j.report.Series;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.symmetry.SymmetryEvent;

/**
 * One session as read from its StatsStorage at one moment: the slt4j records and the loss, ready to answer the
 * page's requests. Immutable; reading it ({@link #read}) touches the storage and must not run on the event loop.
 *
 * <p>The loss is DL4J StatsListener's score when a StatsListener reported to the same session (what the built-in
 * overview shows), otherwise the slt4j loss records.
 */
final class SessionSnapshot {
    /** Where the loss came from. */
    enum LossSource {
        STATS_LISTENER, SLT4J, NONE
    }

    private static final LayerMetric[] LAYER_METRICS = {LayerMetric.EFFECTIVE_WIDTH, LayerMetric.NUMERICAL_RANK,
            LayerMetric.EFFECTIVE_RANK, LayerMetric.STABLE_RANK, LayerMetric.DEAD_FRACTION,
            LayerMetric.DUPLICATE_FRACTION};

    private final String sessionId;
    private final StatsStorage storage;
    private final long version;
    private final RunHistory history;
    private final LossSource lossSource;
    private final long[] lossIterations;
    private final double[] loss;

    private SessionSnapshot(String sessionId, StatsStorage storage, long version, RunHistory history,
            LossSource lossSource, long[] lossIterations, double[] loss) {
        this.sessionId = sessionId;
        this.storage = storage;
        this.version = version;
        this.history = history;
        this.lossSource = lossSource;
        this.lossIterations = lossIterations;
        this.loss = loss;
    }

    /**
     * Reads a session (blocking: storage access).
     *
     * @param version the session's change counter when the read started
     */
    static SessionSnapshot read(StatsStorage storage, String sessionId, long version) {
        RunHistory history = RunHistory.fromStatsStorage(storage, sessionId);
        List<StatsReport> reports = new ArrayList<>();
        for (Persistable p : storage.getAllUpdatesAfter(sessionId, StatsListener.TYPE_ID, Long.MIN_VALUE)) {
            if (p instanceof StatsReport r && r.hasScore()) {
                reports.add(r);
            }
        }
        if (!reports.isEmpty()) {
            reports.sort(Comparator.comparingInt(StatsReport::getIterationCount));
            return new SessionSnapshot(sessionId, storage, version, history, LossSource.STATS_LISTENER,
                    reports.stream().mapToLong(StatsReport::getIterationCount).toArray(),
                    reports.stream().mapToDouble(StatsReport::getScore).toArray());
        }
        List<LossRecord> own = history.lossRecords();
        return new SessionSnapshot(sessionId, storage, version, history,
                own.isEmpty() ? LossSource.NONE : LossSource.SLT4J,
                own.stream().mapToLong(LossRecord::iteration).toArray(),
                own.stream().mapToDouble(LossRecord::score).toArray());
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
        o.add("header", history.header().map(this::header).orElse(null));

        JsonObject lossJson = new JsonObject();
        lossJson.addProperty("source", lossSource.name());
        lossJson.add("iterations", longs(lossIterations));
        lossJson.add("values", doubles(loss));
        lossJson.addProperty("smoothing", smoothing);
        lossJson.add("smoothed", smoothing > 0 ? doubles(LossSmoothing.debiasedEma(loss, smoothing)) : null);
        o.add("loss", lossJson);

        List<LlcRecord> llc = history.llcRecords();
        JsonObject llcJson = new JsonObject();
        llcJson.add("iterations", longs(llc.stream().mapToLong(LlcRecord::iteration).toArray()));
        llcJson.add("mean", doubles(llc.stream().mapToDouble(LlcRecord::mean).toArray()));
        llcJson.add("std", doubles(llc.stream().mapToDouble(LlcRecord::std).toArray()));
        llcJson.add("standardError", doubles(llc.stream().mapToDouble(LlcRecord::standardError).toArray()));
        llcJson.add("rHat", doubles(llc.stream().mapToDouble(LlcRecord::rHat).toArray()));
        llcJson.add("divergedChains", longs(llc.stream().mapToLong(LlcRecord::divergedChains).toArray()));
        o.add("llc", llcJson);

        List<SymmetryRecord> scans = history.symmetryRecords();
        Series bound = history.llcUpperBound();
        JsonObject boundJson = new JsonObject();
        boundJson.add("iterations", longs(bound.iterations()));
        boundJson.add("values", doubles(bound.values()));
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
                layer.add(metric.name(), doubles(history.layer(name, metric).values()));
            }
            layers.add(layer);
        }
        o.add("layers", layers);

        JsonArray events = new JsonArray();
        for (EventRecord e : history.events()) {
            events.add(event(e.event()));
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

    private JsonObject header(RunHeader h) {
        JsonObject o = new JsonObject();
        o.addProperty("workerId", h.workerId());
        o.addProperty("modelType", h.modelType());
        o.addProperty("parameters", h.parameters());
        o.addProperty("layers", h.layers());
        o.addProperty("trainingSetSize", h.trainingSetSize());
        o.addProperty("start", h.timestamp().toString());
        return o;
    }

    private static JsonObject event(SymmetryEvent e) {
        JsonObject o = new JsonObject();
        o.addProperty("iteration", e.iteration());
        o.addProperty("confirmedIteration", e.confirmedIteration());
        o.addProperty("kind", e.kind().name());
        o.addProperty("formation", e.kind().isFormation());
        o.addProperty("layerName", e.layerName());
        JsonArray units = new JsonArray();
        for (int u : e.units()) {
            units.add(u);
        }
        o.add("units", units);
        o.add("before", number(e.before()));
        o.add("after", number(e.after()));
        o.addProperty("description", e.description());
        return o;
    }

    private static JsonArray longs(long[] values) {
        JsonArray a = new JsonArray(values.length);
        for (long v : values) {
            a.add(v);
        }
        return a;
    }

    /** Non-finite values become JSON null (a gap in a chart). */
    private static JsonArray doubles(double[] values) {
        JsonArray a = new JsonArray(values.length);
        for (double v : values) {
            a.add(number(v));
        }
        return a;
    }

    private static JsonElement number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }
}
