package org.slt4j.ui;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.core.storage.StatsStorageListener;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.EventRecord;
import org.slt4j.report.FailureRecord;
import org.slt4j.report.LayerMetric;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.MetricRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RecordType;
import org.slt4j.report.RunHeader;
import org.slt4j.report.RunHistory;
import org.slt4j.report.SeriesBuckets;
import org.slt4j.report.SkipRecord;
import org.slt4j.report.Stage;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.report.TrainingRecord;
import org.slt4j.report.storage.StoredRecord;
import org.slt4j.report.storage.StoredRun;
import org.slt4j.symmetry.LayerSymmetry;
import org.slt4j.symmetry.SymmetrySnapshot;

/**
 * One session of a StatsStorage as the page shows it, kept up to date record by record, so that its cost does not
 * grow with the length of the run.
 *
 * <p>It is read in full once ({@link #read}); after that {@link #ingest} takes each new stored update (one record or
 * a batch of them) by the key of the storage event that announced it. Per type and worker, the sink's timestamps only
 * grow, so an update at or before the last timestamp read is already in. What it keeps is bounded:
 * <ul>
 *   <li>the loss and every user metric as {@link SeriesBuckets} (at most {@value SeriesBuckets#MAX_BUCKETS} buckets
 *       each, with their minimum and maximum);</li>
 *   <li>the whole-network LLC estimates without their chains' traces, and the latest one in full;</li>
 *   <li>at most {@value #SCAN_LIMIT} symmetry scans: every {@code stride}-th one in order of arrival, the stride a
 *       power of two that doubles when more would be kept (the scans kept at a stride are kept at every smaller
 *       one, so a client drops rows and never needs them again), and the latest scan;</li>
 *   <li>the latest {@value #EVENT_LIMIT} symmetry events (as the JSON the page receives) and the number of all of
 *       them.</li>
 * </ul>
 *
 * <p>Every change bumps the state's version, and every bucket and row carries the version it last changed at, so
 * {@link #data} can answer a poll with only what changed since the version the page holds (see
 * {@code slt.js}, which merges it). The version is sent with an epoch that identifies this state: a page holding
 * a version of another state (the server restarted, the storage was attached again) gets everything.
 *
 * <p>Thread-safe: the UI server's event thread ingests, worker threads answer requests.
 */
final class SessionState {
    /** The most symmetry scans kept for the page. */
    static final int SCAN_LIMIT = 500;
    /** The most symmetry events kept for the page (the latest ones). */
    static final int EVENT_LIMIT = 200;
    private static final LayerMetric[] LAYER_METRICS = {LayerMetric.EFFECTIVE_WIDTH, LayerMetric.NUMERICAL_RANK,
            LayerMetric.EFFECTIVE_RANK, LayerMetric.STABLE_RANK, LayerMetric.DEAD_FRACTION,
            LayerMetric.DUPLICATE_FRACTION};
    private static final AtomicLong EPOCHS = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));

    /** A record the page receives as a row, with its order of arrival and the version it arrived at. */
    private record Row<T>(T record, long seq, long version) {
    }

    private final StatsStorage storage;
    private final String sessionId;
    private final long epoch = EPOCHS.incrementAndGet();
    private final Map<String, Long> lastTimestamps = new HashMap<>();
    private long version;
    private RunHeader header;
    private long lastIteration = -1;

    private final SeriesBuckets ownLoss = new SeriesBuckets(2, SeriesBuckets.MAX_BUCKETS);
    private final SeriesBuckets statsListenerLoss = new SeriesBuckets(2, SeriesBuckets.MAX_BUCKETS);
    private long ownLossSince = -1;
    private long lossWithDataLoss;
    private long lossWithoutDataLoss;
    private boolean scoreDiffers;

    private final Map<String, SeriesBuckets> metrics = new LinkedHashMap<>();
    private final Map<String, Long> metricSince = new HashMap<>();

    private final List<Row<LlcRecord>> llc = new ArrayList<>();
    private LlcRecord latestLlc;

    private final List<Row<SymmetryRecord>> scans = new ArrayList<>();
    private long scanCount;
    private long scanStride = 1;
    private SymmetryRecord lastScan;

    private final Deque<Row<JsonElement>> events = new ArrayDeque<>();
    private long eventCount;
    private long failures;
    private long skips;

    private SessionState(StatsStorage storage, String sessionId) {
        this.storage = storage;
        this.sessionId = sessionId;
    }

    /** Reads a session in full (blocking: storage access; long for a long run, once). */
    static SessionState read(StatsStorage storage, String sessionId) {
        SessionState state = new SessionState(storage, sessionId);
        synchronized (state) {
            state.version++;
            state.header = header(storage, sessionId).orElse(null);
            for (RecordType type : RecordType.values()) {
                for (Persistable p : storage.getAllUpdatesAfter(sessionId, type.typeId(), Long.MIN_VALUE)) {
                    state.take(p);
                }
            }
            if (state.ownLossSince < 0) {
                for (Persistable p : storage.getAllUpdatesAfter(sessionId, StoredRun.STATS_LISTENER_TYPE_ID,
                        Long.MIN_VALUE)) {
                    state.take(p);
                }
            }
        }
        return state;
    }

    /** The run header of a session, from its static info, without reading its updates. */
    static Optional<RunHeader> header(StatsStorage storage, String sessionId) {
        for (Persistable p : storage.getAllStaticInfos(sessionId, RecordType.HEADER.typeId())) {
            if (p instanceof StoredRecord r && r.records().get(0) instanceof RunHeader h) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    StatsStorage storage() {
        return storage;
    }

    String sessionId() {
        return sessionId;
    }

    /** The cursor a page sends back to get only what changed: the epoch and the version. */
    synchronized String cursor() {
        return epoch + "." + version;
    }

    /**
     * Takes the records that storage events of this session announce (blocking: storage access). Events of other
     * storages, of other types and of records already read are skipped. The records are fetched and decoded
     * without holding the state, so a request waits only while they are added.
     */
    void ingest(Collection<StatsStorageEvent> storageEvents) {
        List<StatsStorageEvent> wanted = new ArrayList<>();
        boolean wantHeader = false;
        boolean wantStatsListener;
        synchronized (this) {
            for (StatsStorageEvent e : storageEvents) {
                if (e.getStatsStorage() != storage || !sessionId.equals(e.getSessionID())) {
                    continue;
                }
                if (e.getEventType() == StatsStorageListener.EventType.PostStaticInfo) {
                    wantHeader |= header == null;
                } else if (e.getEventType() == StatsStorageListener.EventType.PostUpdate) {
                    String key = key(e.getTypeID(), e.getWorkerID());
                    if (e.getTimestamp() > lastTimestamps.getOrDefault(key, Long.MIN_VALUE)) {
                        lastTimestamps.put(key, e.getTimestamp());
                        wanted.add(e);
                    }
                }
            }
            wantStatsListener = ownLossSince < 0;
        }
        if (wanted.isEmpty() && !wantHeader) {
            return;
        }
        RunHeader newHeader = wantHeader ? header(storage, sessionId).orElse(null) : null;
        List<Taken> taken = new ArrayList<>(wanted.size());
        for (StatsStorageEvent e : wanted) {
            if (wantStatsListener || !StoredRun.STATS_LISTENER_TYPE_ID.equals(e.getTypeID())) {
                Persistable p = storage.getUpdate(sessionId, e.getTypeID(), e.getWorkerID(), e.getTimestamp());
                if (p != null) {
                    taken.addAll(decode(p));
                }
            }
        }
        synchronized (this) {
            version++;
            if (header == null) {
                header = newHeader;
            }
            taken.forEach(this::apply);
        }
    }

    private static String key(String typeId, String workerId) {
        return typeId + '\u0000' + workerId;
    }

    /** A decoded record, and whether it is a StatsListener report's score. */
    private record Taken(DiagnosticRecord record, boolean statsListener) {
    }

    /** Takes a record of the full read (the state is not shared yet). */
    private void take(Persistable p) {
        lastTimestamps.merge(key(p.getTypeID(), p.getWorkerID()), p.getTimeStamp(), Math::max);
        decode(p).forEach(this::apply);
    }

    /** The records of a stored update: one, the records of a batch, or a StatsListener report's score. */
    private static List<Taken> decode(Persistable p) {
        if (StoredRun.STATS_LISTENER_TYPE_ID.equals(p.getTypeID())) {
            return StoredRun.statsListenerScore(p).map(r -> List.of(new Taken(r, true))).orElse(List.of());
        }
        return p instanceof StoredRecord stored ? stored.records().stream().map(r -> new Taken(r, false)).toList()
                : List.of();
    }

    private void apply(Taken taken) {
        DiagnosticRecord record = taken.record();
        if (record instanceof TrainingRecord t && (!taken.statsListener() || ownLossSince < 0)) {
            lastIteration = Math.max(lastIteration, t.iteration());
        }
        if (taken.statsListener()) {
            if (ownLossSince < 0) {
                LossRecord r = (LossRecord) record;
                statsListenerLoss.add(r.iteration(), version, r.score(), r.score());
            }
        } else if (record instanceof LossRecord r) {
            takeLoss(r);
        } else if (record instanceof MetricRecord r) {
            metricSince.putIfAbsent(r.name(), version);
            metrics.computeIfAbsent(r.name(), n -> new SeriesBuckets(1, SeriesBuckets.MAX_BUCKETS))
                    .add(r.iteration(), version, r.value());
        } else if (record instanceof LlcRecord r && r.isWholeNetwork()) {
            llc.add(new Row<>(r.withoutTraces(), llc.size(), version));
            if (latestLlc == null || r.iteration() >= latestLlc.iteration()) {
                latestLlc = r;
            }
        } else if (record instanceof SymmetryRecord r) {
            takeScan(r);
        } else if (record instanceof EventRecord r) {
            events.addLast(new Row<>(JsonParser.parseString(RecordJson.encode(r.event())), eventCount++, version));
            if (events.size() > EVENT_LIMIT) {
                events.removeFirst();
            }
        } else if (record instanceof FailureRecord) {
            failures++;
        } else if (record instanceof SkipRecord) {
            skips++;
        }
    }

    private void takeLoss(LossRecord r) {
        if (ownLossSince < 0) {
            ownLossSince = version;
        }
        ownLoss.add(r.iteration(), version, r.loss(), r.score());
        if (r.hasDataLoss()) {
            lossWithDataLoss++;
            scoreDiffers |= Double.compare(r.dataLoss(), r.score()) != 0;
        } else {
            lossWithoutDataLoss++;
        }
    }

    private void takeScan(SymmetryRecord r) {
        if (lastScan == null || r.iteration() >= lastScan.iteration()) {
            lastScan = r;
        }
        long ordinal = scanCount++;
        if (ordinal % scanStride == 0) {
            scans.add(new Row<>(r, ordinal, version));
        }
        while (scans.size() > SCAN_LIMIT) {
            scanStride *= 2;
            scans.removeIf(row -> row.seq() % scanStride != 0);
        }
    }

    /** The session's line in the session list: only what its static info says, so listing reads no updates. */
    static JsonObject summary(StatsStorage storage, String sessionId, String overviewUrl) {
        JsonObject o = new JsonObject();
        Optional<RunHeader> h = header(storage, sessionId);
        o.addProperty("sessionId", sessionId);
        o.addProperty("start", h.map(x -> x.timestamp().toString()).orElse(null));
        o.addProperty("modelType", h.map(RunHeader::modelType).orElse(null));
        o.addProperty("overviewUrl", overviewUrl);
        return o;
    }

    /** When the run started ({@link Instant#EPOCH} when its header is missing). */
    static Instant start(StatsStorage storage, String sessionId) {
        return header(storage, sessionId).map(RunHeader::timestamp).orElse(Instant.EPOCH);
    }

    /**
     * What the charts show: everything ({@code sinceVersion} negative), or only the rows and buckets that changed
     * after that version of this state. The answer's {@code full} says which.
     */
    synchronized JsonObject data(long sinceVersion, String overviewUrl) {
        boolean full = sinceVersion < 0 || sinceVersion > version;
        long since = full ? -1 : sinceVersion;
        JsonObject o = new JsonObject();
        o.addProperty("sessionId", sessionId);
        o.addProperty("version", cursor());
        o.addProperty("changed", true);
        o.addProperty("full", full);
        o.addProperty("overviewUrl", overviewUrl);
        o.add("header", header == null ? JsonNull.INSTANCE : JsonParser.parseString(RecordJson.encode(header)));
        o.addProperty("lastIteration", lastIteration);
        o.addProperty("llcEstimates", llc.size());
        o.addProperty("symmetryScans", scanCount);
        o.addProperty("failures", failures);
        o.addProperty("skips", skips);

        boolean own = ownLossSince >= 0;
        JsonObject loss = buckets(own ? ownLoss : statsListenerLoss, since, full || own && ownLossSince > since);
        loss.addProperty("source", own ? StoredRun.LossSource.SLT4J.name()
                : statsListenerLoss.buckets().isEmpty() ? StoredRun.LossSource.NONE.name()
                : StoredRun.LossSource.STATS_LISTENER.name());
        loss.addProperty("kind", lossKind().name());
        loss.addProperty("scoreDiffers", own && scoreDiffers);
        o.add("loss", loss);

        JsonArray metricsJson = new JsonArray();
        metrics.forEach((name, series) -> {
            boolean created = metricSince.get(name) > since;
            JsonObject m = buckets(series, since, full || created);
            if (full || created || m.getAsJsonArray("index").size() > 0 || series.widthVersion() > since) {
                m.addProperty("name", name);
                metricsJson.add(m);
            }
        });
        o.add("metrics", metricsJson);

        o.add("llc", llcJson(since));
        o.add("scans", scansJson(since));

        JsonObject eventsJson = new JsonObject();
        eventsJson.addProperty("total", eventCount);
        eventsJson.addProperty("limit", EVENT_LIMIT);
        JsonArray seq = new JsonArray();
        JsonArray list = new JsonArray();
        for (Row<JsonElement> e : events) {
            if (e.version() > since) {
                seq.add(e.seq());
                list.add(e.record().deepCopy());
            }
        }
        eventsJson.add("seq", seq);
        eventsJson.add("events", list);
        o.add("events", eventsJson);
        return o;
    }

    private RunHistory.LossKind lossKind() {
        if (ownLossSince < 0) {
            return statsListenerLoss.buckets().isEmpty() ? RunHistory.LossKind.NONE : RunHistory.LossKind.SCORE;
        }
        return lossWithoutDataLoss == 0 ? RunHistory.LossKind.DATA_LOSS
                : lossWithDataLoss == 0 ? RunHistory.LossKind.SCORE : RunHistory.LossKind.MIXED;
    }

    /**
     * A bucketed series in columns: the buckets changed after {@code since}, or all of them with {@code reset}.
     * Sums are exact (the page merges them when the width doubles); minima and maxima are rounded for display,
     * which commutes with taking the minimum or maximum.
     */
    private static JsonObject buckets(SeriesBuckets series, long since, boolean reset) {
        JsonObject o = new JsonObject();
        o.addProperty("width", series.width());
        o.addProperty("reset", reset);
        JsonArray index = new JsonArray();
        JsonArray count = new JsonArray();
        JsonArray iterationSum = new JsonArray();
        JsonArray[][] channels = new JsonArray[series.channels()][4];
        for (JsonArray[] c : channels) {
            for (int k = 0; k < c.length; k++) {
                c[k] = new JsonArray();
            }
        }
        for (SeriesBuckets.Bucket b : reset ? List.copyOf(series.buckets()) : series.changedSince(since)) {
            index.add(b.index());
            count.add(b.count());
            iterationSum.add(b.iterationSum());
            for (int c = 0; c < channels.length; c++) {
                channels[c][0].add(b.finite(c));
                channels[c][1].add(number(b.sum(c)));
                channels[c][2].add(display(b.min(c)));
                channels[c][3].add(display(b.max(c)));
            }
        }
        o.add("index", index);
        o.add("count", count);
        o.add("iterationSum", iterationSum);
        JsonArray channelsJson = new JsonArray();
        for (JsonArray[] c : channels) {
            JsonObject channel = new JsonObject();
            channel.add("finite", c[0]);
            channel.add("sum", c[1]);
            channel.add("min", c[2]);
            channel.add("max", c[3]);
            channelsJson.add(channel);
        }
        o.add("channels", channelsJson);
        return o;
    }

    /** The LLC rows that arrived after {@code since}, and the stages and recalibrations of all of them. */
    private JsonObject llcJson(long since) {
        List<Row<LlcRecord>> rows = llc.stream().filter(r -> r.version() > since).toList();
        JsonObject o = new JsonObject();
        JsonArray seq = new JsonArray();
        JsonArray iterations = new JsonArray();
        JsonArray mean = new JsonArray();
        JsonArray std = new JsonArray();
        JsonArray standardError = new JsonArray();
        JsonArray rHat = new JsonArray();
        JsonArray diverged = new JsonArray();
        JsonArray reliable = new JsonArray();
        JsonArray warnings = new JsonArray();
        JsonArray segment = new JsonArray();
        for (Row<LlcRecord> row : rows) {
            LlcEstimate e = row.record().estimate();
            seq.add(row.seq());
            iterations.add(row.record().iteration());
            mean.add(number(e.mean()));
            std.add(number(e.std()));
            standardError.add(number(e.standardError()));
            rHat.add(number(e.rHat()));
            diverged.add(e.divergedChains());
            reliable.add(e.isReliable());
            JsonArray w = new JsonArray();
            e.warnings().forEach(w::add);
            warnings.add(w);
            segment.add(row.record().segment());
        }
        o.add("seq", seq);
        o.add("iterations", iterations);
        o.add("mean", mean);
        o.add("std", std);
        o.add("standardError", standardError);
        o.add("rHat", rHat);
        o.add("divergedChains", diverged);
        o.add("reliable", reliable);
        o.add("warnings", warnings);
        o.add("segment", segment);

        RunHistory all = RunHistory.of(llc.stream().map(Row::record).toList());
        JsonArray recalibrations = new JsonArray();
        for (long it : all.llcRecalibrations()) {
            recalibrations.add(it);
        }
        o.add("recalibrations", recalibrations);
        JsonArray stages = new JsonArray();
        for (Stage s : all.stages()) {
            JsonObject stage = new JsonObject();
            stage.addProperty("start", s.start());
            stage.addProperty("end", s.end());
            stage.addProperty("kind", s.kind().name());
            stage.addProperty("estimates", s.estimates());
            JsonArray ends = new JsonArray();
            ends.add(number(s.startLlc()));
            ends.add(number(s.endLlc()));
            stage.add("llc", ends);
            stages.add(stage);
        }
        o.add("stages", stages);
        return o;
    }

    /** The kept scans that arrived after {@code since}: the bound and each layer's metrics, by scan ordinal. */
    private JsonObject scansJson(long since) {
        JsonObject o = new JsonObject();
        o.addProperty("stride", scanStride);
        o.add("latestBound", lastScan == null ? JsonNull.INSTANCE : display(lastScan.snapshot().llcUpperBound()));
        JsonArray skipped = new JsonArray();
        if (lastScan != null) {
            for (SymmetrySnapshot.SkippedLayer s : lastScan.snapshot().skippedLayers()) {
                JsonObject layer = new JsonObject();
                layer.addProperty("layerName", s.layerName());
                layer.addProperty("reason", s.reason());
                skipped.add(layer);
            }
        }
        o.add("skipped", skipped);
        List<Row<SymmetryRecord>> rows = scans.stream().filter(r -> r.version() > since).toList();
        JsonArray ordinal = new JsonArray();
        JsonArray iterations = new JsonArray();
        JsonArray bound = new JsonArray();
        Set<String> names = new LinkedHashSet<>();
        for (Row<SymmetryRecord> row : rows) {
            ordinal.add(row.seq());
            iterations.add(row.record().iteration());
            bound.add(display(row.record().snapshot().llcUpperBound()));
            row.record().snapshot().layers().forEach(l -> names.add(l.layerName()));
        }
        o.add("ordinal", ordinal);
        o.add("iterations", iterations);
        o.add("bound", bound);
        JsonArray layers = new JsonArray();
        for (String name : names) {
            JsonObject layer = new JsonObject();
            layer.addProperty("name", name);
            JsonArray layerOrdinal = new JsonArray();
            JsonArray layerIterations = new JsonArray();
            Map<LayerMetric, JsonArray> values = new LinkedHashMap<>();
            for (LayerMetric m : LAYER_METRICS) {
                values.put(m, new JsonArray());
            }
            for (Row<SymmetryRecord> row : rows) {
                Optional<LayerSymmetry> l = row.record().snapshot().layer(name);
                if (l.isPresent()) {
                    layerOrdinal.add(row.seq());
                    layerIterations.add(row.record().iteration());
                    values.forEach((m, a) -> a.add(display(m.of(l.get()))));
                }
            }
            layer.add("ordinal", layerOrdinal);
            layer.add("iterations", layerIterations);
            values.forEach((m, a) -> layer.add(m.name(), a));
            layers.add(layer);
        }
        o.add("layers", layers);
        return o;
    }

    /**
     * The latest LLC estimate in full (chains with traces, R-hat, configuration); JSON null when none yet. Seeds are
     * strings: as JSON numbers, 64-bit seeds would lose digits in JavaScript.
     */
    synchronized JsonObject latest() {
        JsonObject o = new JsonObject();
        o.addProperty("sessionId", sessionId);
        o.addProperty("version", cursor());
        o.add("llc", latestLlc == null ? JsonNull.INSTANCE : withSeedsAsStrings(latestLlc));
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

    /**
     * A value the page only draws, rounded to the nearest float (7 significant digits, short in JSON). Rounding to
     * the nearest float never reverses an order, so the minimum of rounded values is the rounded minimum: the page
     * can merge rounded minima and maxima and get what the server would send.
     */
    static JsonElement display(double v) {
        return Double.isFinite(v) && Math.abs(v) <= Float.MAX_VALUE ? new JsonPrimitive((float) v) : number(v);
    }

    /** A double as the record schema writes it: a number, or the string NaN, Infinity or -Infinity. */
    private static JsonElement number(double v) {
        if (Double.isNaN(v)) {
            return new JsonPrimitive("NaN");
        }
        if (Double.isInfinite(v)) {
            return new JsonPrimitive(v > 0 ? "Infinity" : "-Infinity");
        }
        return new JsonPrimitive(v);
    }

    @Override
    public String toString() {
        return "SessionState{" + sessionId + ", version " + version + "}";
    }
}
