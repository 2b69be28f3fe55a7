package org.slt4j.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slt4j.llc.Baseline;
import org.slt4j.llc.Calibration;
import org.slt4j.llc.ChainResult;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.Sampler;
import org.slt4j.symmetry.LayerSymmetry;
import org.slt4j.symmetry.SymmetryEvent;
import org.slt4j.symmetry.SymmetrySnapshot;
import org.slt4j.symmetry.SymmetryThresholds;

/**
 * The JSON form of every record (schema in {@code docs/record-schema.md}): one JSON object per record, written
 * on one line, with a {@code "type"} field. Thread-safe and stateless.
 *
 * <p>Numbers round-trip exactly. JSON has no NaN or infinity, so non-finite doubles are written as the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}; readers accept both numbers and those strings.
 * Timestamps are ISO-8601 instants, durations ISO-8601 durations. Unknown fields are ignored when decoding, so
 * fields can be added without a new schema version.
 */
public final class RecordJson {

    /** The version of the record schema this class writes and the newest it reads. */
    public static final int SCHEMA_VERSION = 1;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private RecordJson() {
    }

    /** Encodes a record as one line of JSON (no line break). */
    public static String encode(DiagnosticRecord record) {
        return GSON.toJson(toJson(record));
    }

    /**
     * Decodes one line written by {@link #encode(DiagnosticRecord)}.
     *
     * @throws IllegalArgumentException if the line is not a valid record, naming what is wrong (a record type
     *                                  this version does not know included; readers of files skip those with
     *                                  {@link #decodeKnown})
     */
    public static DiagnosticRecord decode(String line) {
        return fromJson(parseObject(line));
    }

    /**
     * Decodes one line, or returns empty when it is a record of a type this version does not know: the forward
     * compatibility rule of docs/record-schema.md (a later version may add record types; readers skip them).
     *
     * @throws IllegalArgumentException if the line is not a JSON object with a {@code "type"}, or is an invalid
     *                                  record of a known type
     */
    public static Optional<DiagnosticRecord> decodeKnown(String line) {
        JsonObject o = parseObject(line);
        return RecordType.find(string(o, "type")).isPresent() ? Optional.of(fromJson(o)) : Optional.empty();
    }

    private static JsonObject parseObject(String line) {
        JsonElement element;
        try {
            element = JsonParser.parseString(line);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("record must be a JSON object (got: " + abbreviate(line) + ")", e);
        }
        if (!element.isJsonObject()) {
            throw new IllegalArgumentException("record must be a JSON object (got: " + abbreviate(line) + ")");
        }
        return element.getAsJsonObject();
    }

    /**
     * A bare estimate as one line of JSON: the fields of an {@code "llc"} record without type, iteration, epoch and
     * timestamp.
     */
    public static String encode(LlcEstimate estimate) {
        return toJson(estimate).toString();
    }

    /** A snapshot as one line of JSON (the {@code "snapshot"} field of a {@code "symmetry"} record). */
    public static String encode(SymmetrySnapshot snapshot) {
        return toJson(snapshot).toString();
    }

    /** An LLC configuration as one line of JSON: every setting, with the seed. */
    public static String encode(LlcConfig config) {
        return toJson(config).toString();
    }

    /**
     * A calibration as one line of JSON: every setting tried with its diagnostics ({@code "rows"}), the recommended
     * step size and localization (null when none qualified), the reason, and the calibration's cost.
     */
    public static String encode(Calibration calibration) {
        return toJson(calibration).toString();
    }

    /** Encodes a record as a JSON object. */
    static JsonObject toJson(DiagnosticRecord record) {
        JsonObject o = new JsonObject();
        o.addProperty("type", record.type().jsonName());
        if (record instanceof TrainingRecord t) {
            o.addProperty("iteration", t.iteration());
            o.addProperty("epoch", t.epoch());
        }
        o.addProperty("timestamp", record.timestamp().toString());
        if (record instanceof RunHeader h) {
            o.addProperty("schemaVersion", h.schemaVersion());
            o.addProperty("sessionId", h.sessionId());
            o.addProperty("workerId", h.workerId());
            o.addProperty("modelType", h.modelType());
            o.addProperty("parameters", h.parameters());
            o.addProperty("layers", h.layers());
            o.addProperty("trainingSetSize", h.trainingSetSize());
            JsonObject settings = new JsonObject();
            new TreeMap<>(h.settings()).forEach(settings::addProperty);
            o.add("settings", settings);
        } else if (record instanceof LossRecord l) {
            o.add("score", number(l.score()));
            if (l.hasDataLoss()) {
                o.add("dataLoss", number(l.dataLoss()));
            }
        } else if (record instanceof LlcRecord l) {
            o.addProperty("segment", l.segment());
            writeEstimate(o, l.estimate(), l.layer());
        } else if (record instanceof SymmetryRecord s) {
            o.addProperty("wallTime", s.wallTime().toString());
            o.add("snapshot", toJson(s.snapshot()));
        } else if (record instanceof EventRecord e) {
            o.add("event", toJson(e.event()));
        } else if (record instanceof FailureRecord f) {
            o.addProperty("diagnostic", f.diagnostic().name());
            o.addProperty("error", f.error());
            o.addProperty("message", f.message());
        } else if (record instanceof MetricRecord m) {
            o.addProperty("name", m.name());
            o.add("value", number(m.value()));
        } else if (record instanceof SkipRecord s) {
            o.addProperty("diagnostic", s.diagnostic().name());
            o.addProperty("reason", s.reason().name());
            o.addProperty("detail", s.detail());
        }
        return o;
    }

    /**
     * Decodes a JSON object written by {@link #toJson(DiagnosticRecord)}.
     *
     * @throws IllegalArgumentException if a field is missing or invalid, or the header's schema version is newer
     *                                  than {@link #SCHEMA_VERSION}
     */
    static DiagnosticRecord fromJson(JsonObject o) {
        RecordType type = RecordType.fromJsonName(string(o, "type"));
        try {
            Instant timestamp = Instant.parse(string(o, "timestamp"));
            switch (type) {
                case HEADER:
                    return header(o, timestamp);
                case LOSS:
                    return new LossRecord(longValue(o, "iteration"), intValue(o, "epoch"), timestamp,
                            doubleValue(o, "score"), o.has("dataLoss") ? doubleValue(o, "dataLoss") : Double.NaN);
                case LLC:
                    return new LlcRecord(longValue(o, "iteration"), intValue(o, "epoch"), timestamp,
                            estimateFromJson(o), o.has("layer") ? string(o, "layer") : null,
                            o.has("segment") ? intValue(o, "segment") : 0);
                case SYMMETRY:
                    return new SymmetryRecord(intValue(o, "epoch"), timestamp, Duration.parse(string(o, "wallTime")),
                            snapshotFromJson(object(o, "snapshot")));
                case EVENT:
                    return new EventRecord(intValue(o, "epoch"), timestamp, eventFromJson(object(o, "event")));
                case FAILURE:
                    return new FailureRecord(longValue(o, "iteration"), intValue(o, "epoch"), timestamp,
                            Diagnostic.valueOf(string(o, "diagnostic")), string(o, "error"), string(o, "message"));
                case METRIC:
                    return new MetricRecord(longValue(o, "iteration"), intValue(o, "epoch"), timestamp,
                            string(o, "name"), doubleValue(o, "value"));
                default:
                    return new SkipRecord(longValue(o, "iteration"), intValue(o, "epoch"), timestamp,
                            Diagnostic.valueOf(string(o, "diagnostic")),
                            SkipRecord.Reason.valueOf(string(o, "reason")), string(o, "detail"));
            }
        } catch (RuntimeException e) {
            // Gson throws IllegalStateException/UnsupportedOperationException for fields of the wrong shape.
            throw new IllegalArgumentException(type.jsonName() + " record is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * A bare estimate as JSON: the fields of an {@code "llc"} record without type, iteration, epoch, timestamp and
     * layer.
     */
    static JsonObject toJson(LlcEstimate estimate) {
        JsonObject o = new JsonObject();
        writeEstimate(o, estimate, null);
        return o;
    }

    /**
     * Rebuilds an estimate from {@link #toJson(LlcEstimate)} or from an {@code "llc"} record (whose other fields
     * are ignored). The derived fields ({@code reliable}, {@code totalSteps}) are recomputed, not read. Files
     * written before automatic settings lack {@code tuning} (read as all settings fixed) and hold the standard error
     * std / sqrt(used chains).
     *
     * @throws IllegalArgumentException if a field is missing or invalid
     */
    static LlcEstimate estimateFromJson(JsonObject o) {
        List<ChainResult> chains = new ArrayList<>();
        for (JsonElement e : array(o, "chains")) {
            JsonObject c = e.getAsJsonObject();
            chains.add(ChainResult.of(intValue(c, "index"), longValue(c, "seed"), doubleValue(c, "llc"),
                    intValue(c, "draws"), longValue(c, "steps"), doubleValue(c, "meanLoss"),
                    doubleValue(c, "meanBaselineLoss"), doubleValue(c, "fractionBelowBaseline"),
                    doubleValue(c, "effectiveSampleSize"), c.has("divergence") ? string(c, "divergence") : null,
                    doubles(array(c, "lossTrace")), doubles(array(c, "baselineTrace"))));
        }
        return LlcEstimate.of(configFromJson(object(o, "config")), longValue(o, "dimension"),
                intValue(o, "dataSize"), doubleValue(o, "baselineLoss"), chains, doubleValue(o, "mean"),
                doubleValue(o, "std"), doubleValue(o, "standardError"), doubleValue(o, "rHat"),
                doubleValue(o, "effectiveSampleSize"), doubleValue(o, "fractionBelowBaseline"),
                Duration.parse(string(o, "wallTime")), stringList(array(o, "warnings")),
                o.has("tuning") ? tuningFromJson(object(o, "tuning")) : LlcEstimate.Tuning.FIXED);
    }

    private static JsonObject toJson(LlcEstimate.Tuning tuning) {
        JsonObject o = new JsonObject();
        o.add("automatic", strings(tuning.automatic().stream().sorted().map(Enum::name).toList()));
        o.addProperty("calibration", tuning.calibration());
        o.addProperty("burnIn", tuning.burnIn());
        o.addProperty("stationary", tuning.stationary());
        o.addProperty("drawsStop", tuning.drawsStop().name());
        o.add("stepLoad", number(tuning.stepLoad()));
        return o;
    }

    private static LlcEstimate.Tuning tuningFromJson(JsonObject o) {
        return new LlcEstimate.Tuning(stringList(array(o, "automatic")).stream().map(LlcConfig.Setting::valueOf)
                .collect(Collectors.toSet()), string(o, "calibration"), string(o, "burnIn"),
                o.get("stationary").getAsBoolean(), LlcEstimate.DrawsStop.valueOf(string(o, "drawsStop")),
                o.has("stepLoad") ? doubleValue(o, "stepLoad") : Double.NaN);
    }

    /** A snapshot as JSON (the {@code "snapshot"} field of a {@code "symmetry"} record). */
    static JsonObject toJson(SymmetrySnapshot snapshot) {
        JsonObject o = new JsonObject();
        o.addProperty("iteration", snapshot.iteration());
        o.addProperty("totalParameters", snapshot.totalParameters());
        o.addProperty("removableDirections", snapshot.removableDirections());
        o.add("llcUpperBound", number(snapshot.llcUpperBound()));
        o.addProperty("totalEffectiveWidth", snapshot.totalEffectiveWidth());
        SymmetryThresholds t = snapshot.thresholds();
        JsonObject thresholds = new JsonObject();
        thresholds.add("deadFraction", number(t.deadFraction()));
        thresholds.add("zeroNorm", number(t.zeroNorm()));
        thresholds.add("duplicateCosine", number(t.duplicateCosine()));
        thresholds.add("duplicateNormTolerance", number(t.duplicateNormTolerance()));
        thresholds.add("rankTolerance", number(t.rankTolerance()));
        o.add("thresholds", thresholds);
        JsonArray layers = new JsonArray();
        snapshot.layers().forEach(l -> layers.add(toJson(l)));
        o.add("layers", layers);
        JsonArray skipped = new JsonArray();
        for (SymmetrySnapshot.SkippedLayer s : snapshot.skippedLayers()) {
            JsonObject so = new JsonObject();
            so.addProperty("layerName", s.layerName());
            so.addProperty("reason", s.reason());
            skipped.add(so);
        }
        o.add("skippedLayers", skipped);
        return o;
    }

    /**
     * Rebuilds a snapshot from {@link #toJson(SymmetrySnapshot)}; derived fields (k, the bound, effective widths)
     * are recomputed, not read.
     *
     * @throws IllegalArgumentException if a field is missing or invalid
     */
    static SymmetrySnapshot snapshotFromJson(JsonObject o) {
        JsonObject t = object(o, "thresholds");
        SymmetryThresholds thresholds = new SymmetryThresholds.Builder().deadFraction(doubleValue(t, "deadFraction"))
                .zeroNorm(doubleValue(t, "zeroNorm")).duplicateCosine(doubleValue(t, "duplicateCosine"))
                .duplicateNormTolerance(doubleValue(t, "duplicateNormTolerance"))
                .rankTolerance(doubleValue(t, "rankTolerance")).build();
        List<LayerSymmetry> layers = new ArrayList<>();
        for (JsonElement e : array(o, "layers")) {
            layers.add(layerFromJson(e.getAsJsonObject()));
        }
        List<SymmetrySnapshot.SkippedLayer> skipped = new ArrayList<>();
        for (JsonElement e : array(o, "skippedLayers")) {
            JsonObject s = e.getAsJsonObject();
            skipped.add(new SymmetrySnapshot.SkippedLayer(string(s, "layerName"), string(s, "reason")));
        }
        return SymmetrySnapshot.of(longValue(o, "iteration"), thresholds, layers, skipped,
                longValue(o, "totalParameters"));
    }

    /** An LLC configuration as JSON: every setting, with the seed. */
    static JsonObject toJson(LlcConfig c) {
        JsonObject o = new JsonObject();
        o.add("nBeta", number(c.nBeta()));
        c.trainingSetSize().ifPresent(n -> o.addProperty("trainingSetSize", n));
        o.add("stepSize", c.stepSize().isPresent() ? number(c.stepSize().getAsDouble()) : JsonNull.INSTANCE);
        o.add("localization", c.localization().isPresent() ? number(c.localization().getAsDouble()) : JsonNull.INSTANCE);
        o.add("weightDecay", number(c.weightDecay()));
        o.addProperty("chains", c.chains());
        o.add("burnInSteps", c.burnInSteps().isPresent() ? new JsonPrimitive(c.burnInSteps().getAsInt()) : JsonNull.INSTANCE);
        o.add("draws", c.draws().isPresent() ? new JsonPrimitive(c.draws().getAsInt()) : JsonNull.INSTANCE);
        o.add("targetRelativeError", number(c.targetRelativeError()));
        o.addProperty("maxStepsPerChain", c.maxStepsPerChain());
        c.timeLimit().ifPresent(limit -> o.addProperty("timeLimit", limit.toString()));
        o.addProperty("stepsBetweenDraws", c.stepsBetweenDraws());
        o.addProperty("batchSize", c.batchSize());
        o.addProperty("seed", c.seed());
        o.addProperty("threads", c.threads());
        o.addProperty("baseline", c.baseline().name());
        o.addProperty("sampler", c.sampler().name());
        o.addProperty("keepTraces", c.keepTraces());
        return o;
    }

    /**
     * A calibration as JSON: every setting tried with its diagnostics ({@code "rows"}), the recommended step size
     * and localization (null when none qualified), the reason, and the calibration's cost.
     */
    static JsonObject toJson(Calibration calibration) {
        JsonObject o = new JsonObject();
        JsonArray rows = new JsonArray();
        for (Calibration.Row r : calibration.rows()) {
            JsonObject row = new JsonObject();
            row.add("stepSize", number(r.stepSize()));
            row.add("localization", number(r.localization()));
            row.add("llc", number(r.llc()));
            row.add("standardError", number(r.standardError()));
            row.addProperty("divergedChains", r.divergedChains());
            row.add("rHat", number(r.rHat()));
            row.add("fractionBelowBaseline", number(r.fractionBelowBaseline()));
            row.add("stepLoad", number(r.stepLoad()));
            row.addProperty("stable", r.stable());
            row.addProperty("verdict", r.verdict());
            rows.add(row);
        }
        o.add("rows", rows);
        o.add("recommended", calibration.recommended().<JsonElement>map(c -> {
            JsonObject chosen = new JsonObject();
            chosen.add("stepSize", number(c.stepSize().orElseThrow()));
            chosen.add("localization", number(c.localization().orElseThrow()));
            return chosen;
        }).orElse(JsonNull.INSTANCE));
        o.addProperty("reason", calibration.reason());
        o.addProperty("wallTimeMillis", calibration.wallTime().toMillis());
        o.addProperty("totalSteps", calibration.totalSteps());
        return o;
    }

    private static LlcConfig configFromJson(JsonObject o) {
        LlcConfig.Builder b = new LlcConfig.Builder();
        if (o.has("trainingSetSize")) {
            b.trainingSetSize(longValue(o, "trainingSetSize"));
        } else {
            b.nBeta(doubleValue(o, "nBeta"));
        }
        if (isSet(o, "stepSize")) {
            b.stepSize(doubleValue(o, "stepSize"));
        }
        if (isSet(o, "localization")) {
            b.localization(doubleValue(o, "localization"));
        }
        if (isSet(o, "burnInSteps")) {
            b.burnInSteps(intValue(o, "burnInSteps"));
        }
        if (isSet(o, "draws")) {
            b.draws(intValue(o, "draws"));
        }
        if (o.has("targetRelativeError")) {
            b.targetRelativeError(doubleValue(o, "targetRelativeError")).maxStepsPerChain(longValue(o, "maxStepsPerChain"));
        } else {
            // Files written before automatic draws existed: the values those versions used.
            b.targetRelativeError(0.02).maxStepsPerChain(20_000);
        }
        if (o.has("timeLimit")) {
            b.timeLimit(Duration.parse(string(o, "timeLimit")));
        }
        return b.weightDecay(doubleValue(o, "weightDecay")).chains(intValue(o, "chains"))
                .stepsBetweenDraws(intValue(o, "stepsBetweenDraws")).batchSize(intValue(o, "batchSize"))
                .seed(longValue(o, "seed")).threads(intValue(o, "threads"))
                .sampler(o.has("sampler") ? Sampler.valueOf(string(o, "sampler")) : Sampler.SGLD)
                .baseline(Baseline.valueOf(string(o, "baseline"))).keepTraces(o.get("keepTraces").getAsBoolean())
                .build();
    }

    /** Writes the estimate's fields; a per-layer estimate's {@code layer} goes between config and chains. */
    private static void writeEstimate(JsonObject o, LlcEstimate e, String layer) {
        o.add("mean", number(e.mean()));
        o.add("std", number(e.std()));
        o.add("standardError", number(e.standardError()));
        o.add("rHat", number(e.rHat()));
        o.add("effectiveSampleSize", number(e.effectiveSampleSize()));
        o.add("fractionBelowBaseline", number(e.fractionBelowBaseline()));
        o.add("baselineLoss", number(e.baselineLoss()));
        o.addProperty("dimension", e.dimension());
        o.addProperty("dataSize", e.dataSize());
        o.addProperty("totalSteps", e.totalSteps());
        o.addProperty("wallTime", e.wallTime().toString());
        o.addProperty("reliable", e.isReliable());
        o.add("warnings", strings(e.warnings()));
        o.add("tuning", toJson(e.tuning()));
        o.add("config", toJson(e.config()));
        if (layer != null) {
            o.addProperty("layer", layer);
        }
        JsonArray chains = new JsonArray();
        for (ChainResult c : e.chains()) {
            JsonObject co = new JsonObject();
            co.addProperty("index", c.index());
            co.addProperty("seed", c.seed());
            co.add("llc", number(c.llc()));
            co.addProperty("draws", c.draws());
            co.addProperty("steps", c.steps());
            co.add("meanLoss", number(c.meanLoss()));
            co.add("meanBaselineLoss", number(c.meanBaselineLoss()));
            co.add("fractionBelowBaseline", number(c.fractionBelowBaseline()));
            co.add("effectiveSampleSize", number(c.effectiveSampleSize()));
            c.divergence().ifPresent(d -> co.addProperty("divergence", d));
            co.add("lossTrace", numbers(c.lossTrace()));
            co.add("baselineTrace", numbers(c.baselineTrace()));
            chains.add(co);
        }
        o.add("chains", chains);
    }

    private static RunHeader header(JsonObject o, Instant timestamp) {
        int version = intValue(o, "schemaVersion");
        if (version > SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion must be <= " + SCHEMA_VERSION
                    + " for this reader (got: " + version + "); use a newer slt4j");
        }
        Map<String, String> settings = new TreeMap<>();
        object(o, "settings").entrySet().forEach(e -> settings.put(e.getKey(), e.getValue().getAsString()));
        return new RunHeader(version, string(o, "sessionId"), string(o, "workerId"), timestamp,
                string(o, "modelType"), longValue(o, "parameters"), intValue(o, "layers"),
                longValue(o, "trainingSetSize"), settings);
    }

    private static JsonObject toJson(LayerSymmetry l) {
        JsonObject o = new JsonObject();
        o.addProperty("layerName", l.layerName());
        o.addProperty("layerIndex", l.layerIndex());
        o.addProperty("layerType", l.layerType());
        o.addProperty("activation", l.activation());
        o.addProperty("units", l.units());
        o.addProperty("fanIn", l.fanIn());
        o.addProperty("parameters", l.parameters());
        l.outgoingUnavailableReason().ifPresent(r -> o.addProperty("outgoingUnavailableReason", r));
        o.addProperty("effectiveWidth", l.effectiveWidth());
        o.addProperty("removableDirections", l.removableDirections());
        o.addProperty("numericalRank", l.numericalRank());
        o.add("effectiveRank", number(l.effectiveRank()));
        o.add("stableRank", number(l.stableRank()));
        o.add("deadUnits", ints(l.deadUnits()));
        o.add("alwaysActiveUnits", ints(l.alwaysActiveUnits()));
        o.add("zeroOutgoingUnits", ints(l.zeroOutgoingUnits()));
        o.add("zeroIncomingUnits", ints(l.zeroIncomingUnits()));
        JsonArray clusters = new JsonArray();
        l.duplicateClusters().forEach(c -> clusters.add(ints(c)));
        o.add("duplicateClusters", clusters);
        o.add("activeFractions", numbers(l.activeFractions()));
        o.add("rescalingBalance", numbers(l.rescalingBalance()));
        return o;
    }

    private static LayerSymmetry layerFromJson(JsonObject o) {
        List<int[]> clusters = new ArrayList<>();
        for (JsonElement c : array(o, "duplicateClusters")) {
            clusters.add(ints(c.getAsJsonArray()));
        }
        return new LayerSymmetry.Builder(string(o, "layerName"), intValue(o, "units"))
                .layerIndex(intValue(o, "layerIndex")).layerType(string(o, "layerType"))
                .activation(string(o, "activation")).fanIn(longValue(o, "fanIn"))
                .parameters(longValue(o, "parameters"))
                .outgoingUnavailableReason(o.has("outgoingUnavailableReason")
                        ? string(o, "outgoingUnavailableReason") : null)
                .removableDirections(longValue(o, "removableDirections"))
                .numericalRank(intValue(o, "numericalRank")).effectiveRank(doubleValue(o, "effectiveRank"))
                .stableRank(doubleValue(o, "stableRank")).deadUnits(ints(array(o, "deadUnits")))
                .alwaysActiveUnits(ints(array(o, "alwaysActiveUnits")))
                .zeroOutgoingUnits(ints(array(o, "zeroOutgoingUnits")))
                .zeroIncomingUnits(ints(array(o, "zeroIncomingUnits"))).duplicateClusters(clusters)
                .activeFractions(doubles(array(o, "activeFractions")))
                .rescalingBalance(doubles(array(o, "rescalingBalance"))).build();
    }

    /** An event as one line of JSON (the {@code "event"} field of an {@code "event"} record). */
    public static String encode(SymmetryEvent event) {
        return toJson(event).toString();
    }

    /**
     * Doubles as a JSON array, each as every object of the schema has it: a JSON number when finite, otherwise the
     * string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}.
     */
    public static String encode(double[] values) {
        return numbers(values).toString();
    }

    static JsonObject toJson(SymmetryEvent e) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", e.kind().name());
        o.addProperty("formation", e.kind().isFormation());
        o.addProperty("layerName", e.layerName());
        o.add("units", ints(e.units()));
        o.addProperty("iteration", e.iteration());
        o.addProperty("confirmedIteration", e.confirmedIteration());
        o.add("before", number(e.before()));
        o.add("after", number(e.after()));
        o.addProperty("description", e.description());
        return o;
    }

    private static SymmetryEvent eventFromJson(JsonObject o) {
        return new SymmetryEvent(SymmetryEvent.Kind.valueOf(string(o, "kind")), string(o, "layerName"),
                ints(array(o, "units")), longValue(o, "iteration"), longValue(o, "confirmedIteration"),
                doubleValue(o, "before"), doubleValue(o, "after"));
    }

    private static JsonPrimitive number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : new JsonPrimitive(Double.toString(v));
    }

    static JsonArray numbers(double[] values) {
        JsonArray a = new JsonArray(values.length);
        for (double v : values) {
            a.add(number(v));
        }
        return a;
    }

    private static JsonArray ints(int[] values) {
        JsonArray a = new JsonArray(values.length);
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray(values.size());
        values.forEach(a::add);
        return a;
    }

    /** Whether a setting that may be automatic is set: null means automatic, but the field must be there. */
    private static boolean isSet(JsonObject o, String name) {
        if (!o.has(name)) {
            throw new IllegalArgumentException("field " + name + " must be present, null when automatic (got: none)");
        }
        return !o.get(name).isJsonNull();
    }

    private static JsonElement field(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("field " + name + " must be present (got: none)");
        }
        return e;
    }

    private static String string(JsonObject o, String name) {
        return field(o, name).getAsString();
    }

    private static long longValue(JsonObject o, String name) {
        return field(o, name).getAsLong();
    }

    private static int intValue(JsonObject o, String name) {
        return field(o, name).getAsInt();
    }

    private static double doubleValue(JsonObject o, String name) {
        return toDouble(field(o, name));
    }

    private static double toDouble(JsonElement e) {
        // Double.parseDouble reads "NaN", "Infinity" and "-Infinity" as well as numbers.
        return e.getAsJsonPrimitive().isString() ? Double.parseDouble(e.getAsString()) : e.getAsDouble();
    }

    private static JsonObject object(JsonObject o, String name) {
        return field(o, name).getAsJsonObject();
    }

    private static JsonArray array(JsonObject o, String name) {
        return field(o, name).getAsJsonArray();
    }

    private static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toDouble(a.get(i));
        }
        return out;
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static List<String> stringList(JsonArray a) {
        List<String> out = new ArrayList<>(a.size());
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
