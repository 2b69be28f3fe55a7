package org.slt4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.llc.ChainResult;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.surface.AnalyticSurfaces;

class RecordJsonTest {

    @Test
    void everyRecordTypeRoundTripsThroughOneLineOfJson() {
        for (DiagnosticRecord record : SampleRecords.all()) {
            String line = RecordJson.encode(record);
            assertThat(line).doesNotContain("\n").doesNotContain("\r");
            DiagnosticRecord back = RecordJson.decode(line);
            assertThat(back.type()).isEqualTo(record.type());
            assertThat(RecordJson.encode(back)).as("re-encoded %s", record.type()).isEqualTo(line);
            if (!(record instanceof SymmetryRecord)) {
                assertThat(back).isEqualTo(record);
            }
        }
    }

    @Test
    void llcRecordsKeepEveryChainTheConfigAndTheSeed() {
        LlcRecord record = SampleRecords.llc(7);
        LlcRecord back = (LlcRecord) RecordJson.decode(RecordJson.encode(record));
        assertThat(back.estimate().config()).isEqualTo(record.estimate().config());
        assertThat(back.estimate().config().seed()).isEqualTo(7);
        assertThat(back.estimate().chains()).hasSize(2);
        assertThat(back.estimate().chains().get(1).lossTrace())
                .containsExactly(record.estimate().chains().get(1).lossTrace());
        assertThat(back.estimate().mean()).isEqualTo(record.estimate().mean());
    }

    @Test
    void symmetrySnapshotsRoundTripWithTheirDerivedNumbers() {
        SymmetryRecord record = SampleRecords.symmetry(40, 3);
        SymmetryRecord back = (SymmetryRecord) RecordJson.decode(RecordJson.encode(record));
        assertThat(back.iteration()).isEqualTo(40);
        assertThat(back.snapshot().removableDirections()).isEqualTo(10);
        assertThat(back.snapshot().llcUpperBound()).isEqualTo(28.5);
        assertThat(back.snapshot().layer("0").orElseThrow().deadUnits()).containsExactly(0, 1, 2);
        assertThat(back.snapshot().layer("0").orElseThrow().effectiveWidth()).isEqualTo(4);
        assertThat(back.snapshot().layer("1").orElseThrow().outgoingUnavailableReason())
                .contains("output layer\nhas none");
        assertThat(back.snapshot().skippedLayers()).hasSize(1);
        assertThat(back.wallTime()).isEqualTo(Duration.ofMillis(12));
    }

    @Test
    void nonFiniteNumbersAreWrittenAsStringsAndReadBack() {
        String line = RecordJson.encode(SampleRecords.loss(3, Double.NEGATIVE_INFINITY));
        assertThat(JsonParser.parseString(line).getAsJsonObject().get("score").getAsString()).isEqualTo("-Infinity");
        assertThat(((LossRecord) RecordJson.decode(line)).score()).isEqualTo(Double.NEGATIVE_INFINITY);
        LossRecord nan = (LossRecord) RecordJson.decode(RecordJson.encode(SampleRecords.loss(3, Double.NaN)));
        assertThat(nan.score()).isNaN();
    }

    @Test
    void theDataLossRoundTripsAndAnOldRecordWithoutItReadsAsNaN() {
        LossRecord both = SampleRecords.loss(7, 3600.01, 0.010000000000218279);
        JsonObject o = RecordJson.toJson(both);
        assertThat(o.get("dataLoss").getAsDouble()).isEqualTo(0.010000000000218279);
        assertThat(RecordJson.decode(RecordJson.encode(both))).isEqualTo(both);

        JsonObject old = RecordJson.toJson(SampleRecords.loss(7, 2.5));
        assertThat(old.has("dataLoss")).isFalse();
        LossRecord back = (LossRecord) RecordJson.fromJson(old);
        assertThat(back.dataLoss()).isNaN();
        assertThat(back.hasDataLoss()).isFalse();
        assertThat(back.loss()).isEqualTo(2.5);
    }

    @Test
    void recordTypesOfALaterVersionAreSkippedByFileReadersButNotByDecode(@TempDir Path dir) throws IOException {
        String later = "{\"type\":\"attention-map\",\"iteration\":3,\"epoch\":0,\"timestamp\":\"2024-01-01T00:00:00Z\"}";
        Path file = dir.resolve("run.jsonl");
        Files.writeString(file, RecordJson.encode(SampleRecords.header()) + "\n" + later + "\n"
                + RecordJson.encode(SampleRecords.metric(4, "test accuracy", 0.5)) + "\n");

        RunHistory run = RunHistory.readJsonl(file);

        assertThat(run.records()).containsExactly(SampleRecords.metric(4, "test accuracy", 0.5));
        assertThat(RecordJson.decodeKnown(later)).isEmpty();
        assertThatThrownBy(() -> RecordJson.decode(later)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type must be one of header, loss, llc, symmetry, event, failure, skip, metric");
        assertThatThrownBy(() -> RecordJson.decodeKnown("{\"type\":\"metric\",\"iteration\":1}"))
                .as("an invalid record of a known type still fails").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownFieldsAreIgnored() {
        JsonObject o = RecordJson.toJson(SampleRecords.loss(5, 0.5));
        o.addProperty("addedInALaterMinorVersion", true);
        assertThat(RecordJson.fromJson(o)).isEqualTo(SampleRecords.loss(5, 0.5));
    }

    @Test
    void aHeaderFromANewerSchemaIsRejectedWithTheVersions() {
        JsonObject o = RecordJson.toJson(SampleRecords.header());
        o.addProperty("schemaVersion", 2);
        assertThatThrownBy(() -> RecordJson.fromJson(o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schemaVersion must be <= 1").hasMessageContaining("got: 2");
    }

    @Test
    void invalidLinesAreRejectedNamingWhatIsWrong() {
        assertThatThrownBy(() -> RecordJson.decode("not json {")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> RecordJson.decode("{\"type\":\"nope\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got: nope");
        assertThatThrownBy(() -> RecordJson.decode("{\"type\":\"loss\",\"timestamp\":\"2024-01-01T00:00:00Z\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loss record is invalid").hasMessageContaining("field iteration");
    }

    @Test
    void aBareEstimateBecomesAJsonObjectWithItsNumbersAndChains() {
        LlcEstimate estimate = new LlcEstimator(new LlcConfig.Builder().nBeta(10).chains(2).draws(5).burnInSteps(2)
                .stepSize(1e-3).localization(1).threads(1).keepTraces(false).build()).estimate(AnalyticSurfaces.quadratic(1, 1));
        JsonObject o = RecordJson.toJson(estimate);
        assertThat(o.get("mean").getAsDouble()).isEqualTo(estimate.mean());
        assertThat(o.getAsJsonArray("chains")).hasSize(2);
        assertThat(o.getAsJsonObject("config").get("nBeta").getAsDouble()).isEqualTo(10.0);
        assertThat(o.has("iteration")).isFalse();
        assertThat(o.has("type")).isFalse();
    }

    @Test
    void aBareEstimateReadsBackIntoAnEqualEstimate() {
        LlcEstimate estimate = SampleRecords.llc(3).estimate();

        LlcEstimate back = RecordJson.estimateFromJson(RecordJson.toJson(estimate));

        assertThat(back).isEqualTo(estimate);
        assertThat(back.standardError()).isEqualTo(estimate.standardError());
        assertThat(back.totalSteps()).isEqualTo(estimate.totalSteps());
    }

    /**
     * llc-schema-v1.jsonl holds two lines written by slt4j before LlcRecord wrapped the LlcEstimate (commit 6cea6f2):
     * a real per-layer estimate (layer "0", 3 draws: R-hat and chain ESS are NaN) and a hand-made whole-network one
     * with a diverged chain and a warning.
     */
    @Test
    void llcRecordsWrittenBeforeTheRecordWrappedTheEstimateReadIntoTheSameEstimate() throws IOException {
        List<String> lines;
        try (InputStream in = RecordJsonTest.class.getResourceAsStream("/records/llc-schema-v1.jsonl")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }

        LlcRecord layer = (LlcRecord) RecordJson.decode(lines.get(0));
        assertThat(layer.iteration()).isEqualTo(40);
        assertThat(layer.epoch()).isEqualTo(1);
        assertThat(layer.layer()).isEqualTo("0");
        LlcEstimate e = layer.estimate();
        assertThat(e.mean()).isEqualTo(0.27564713706102323);
        assertThat(e.std()).isEqualTo(0.03718511070475628);
        assertThat(e.standardError()).isEqualTo(0.026293843938505645);
        assertThat(e.rHat()).isNaN();
        assertThat(e.dimension()).isEqualTo(3);
        assertThat(e.totalSteps()).isEqualTo(10);
        assertThat(e.wallTime()).isEqualTo(Duration.parse("PT1.980125917S"));
        assertThat(e.config().seed()).isEqualTo(3);
        assertThat(e.config().keepTraces()).isTrue();
        assertThat(e.chains()).extracting(ChainResult::seed).containsExactly(2092789425003139053L,
                -5528608851982440055L);
        assertThat(e.chains().get(1).lossTrace()).containsExactly(0.002998382732157033, 3.416763812941661E-4,
                0.0029171441028704257);
        assertThat(e.chains().get(0).effectiveSampleSize()).isNaN();

        LlcRecord diverged = (LlcRecord) RecordJson.decode(lines.get(1));
        assertThat(diverged.isWholeNetwork()).isTrue();
        LlcEstimate d = diverged.estimate();
        assertThat(d.mean()).isEqualTo(2.0);
        assertThat(d.standardError()).isEqualTo(0.5);
        assertThat(d.totalSteps()).isEqualTo(403);
        assertThat(d.divergedChains()).isEqualTo(1);
        assertThat(d.usedChains()).isEqualTo(2);
        assertThat(d.warnings()).containsExactly("1 of 3 chains diverged");
        assertThat(d.chains().get(2).divergence()).contains("loss NaN at step 3");
        assertThat(d.chains().get(2).llc()).isNaN();
        assertThat(d.config().trainingSetSize()).isEmpty();
        assertThat(d.config().nBeta()).isEqualTo(50);

        assertThat(List.of(e.tuning(), d.tuning())).containsOnly(LlcEstimate.Tuning.FIXED);
        assertThat(e.isReliable()).isTrue();
        assertThat(d.isReliable()).isFalse();
        assertThat(d.config().targetRelativeError()).isEqualTo(0.02);
        assertThat(d.config().maxStepsPerChain()).isEqualTo(20_000);
        assertThat(d.config().timeLimit()).isEmpty();

        for (String line : lines) {
            JsonObject old = JsonParser.parseString(line).getAsJsonObject();
            JsonObject again = RecordJson.toJson(RecordJson.decode(line));
            assertKeepsEveryField(old, again, "");
            assertThat(again.get("tuning")).isEqualTo(JsonParser.parseString(
                    "{\"automatic\":[],\"calibration\":\"\",\"burnIn\":\"fixed\",\"stationary\":true,\"drawsStop\":\"FIXED\","
                    + "\"stepLoad\":\"NaN\"}"));
        }
    }

    /** Every field of {@code old} is in {@code again} with the same value; nested objects field by field. */
    private static void assertKeepsEveryField(JsonObject old, JsonObject again, String path) {
        for (String key : old.keySet()) {
            if (old.get(key).isJsonObject()) {
                assertThat(again.get(key)).as(path + key).isNotNull();
                assertKeepsEveryField(old.getAsJsonObject(key), again.getAsJsonObject(key), path + key + ".");
            } else {
                assertThat(again.get(key)).as("%s%s, written back as it was", path, key).isEqualTo(old.get(key));
            }
        }
    }

    @Test
    void llcRecordsKeepTheirSegmentAndFilesWithoutOneReadAsSegmentZero() throws IOException {
        LlcRecord sample = SampleRecords.llc(7);
        LlcRecord record = new LlcRecord(7, 1, sample.timestamp(), sample.estimate(), "layer0", 3);
        String line = RecordJson.encode(record);
        assertThat(JsonParser.parseString(line).getAsJsonObject().get("segment").getAsInt()).isEqualTo(3);
        assertThat(RecordJson.decode(line)).isEqualTo(record);
        assertThat(RecordJson.decode(RecordJson.encode(sample.withoutTraces()))).extracting("segment").isEqualTo(0);

        List<String> old;
        try (InputStream in = RecordJsonTest.class.getResourceAsStream("/records/llc-schema-v1.jsonl")) {
            old = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(old).allSatisfy(l -> assertThat(l).doesNotContain("\"segment\""));
        assertThat(old).extracting(l -> ((LlcRecord) RecordJson.decode(l)).segment()).containsOnly(0);
        assertThatThrownBy(() -> new LlcRecord(7, 1, sample.timestamp(), sample.estimate(), null, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("segment must be >= 0 (got: -1)");
    }

    @Test
    void llcRecordsCanDropTheirTraces() {
        LlcRecord slim = SampleRecords.llc(1).withoutTraces();
        assertThat(slim.estimate().chains()).allSatisfy(c -> assertThat(c.lossTrace()).isEmpty());
        assertThat(RecordJson.encode(slim).length()).isLessThan(RecordJson.encode(SampleRecords.llc(1)).length());
        assertThat(List.of(slim.estimate().mean())).containsExactly(SampleRecords.llc(1).estimate().mean());
    }

    @Test
    void anEstimateWithAutomaticSettingsRoundTripsWithItsTuningAndResolvedConfig() {
        LlcConfig config = new LlcConfig.Builder().nBeta(100).stepSize(5e-3).localization(1).chains(2)
                .targetRelativeError(0.1).maxStepsPerChain(3_000).timeLimit(Duration.ofHours(1)).threads(1).seed(4)
                .build();
        LlcEstimate estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(1, 1, 2, 2));
        assertThat(estimate.config().automatic()).isEmpty();
        assertThat(estimate.tuning().automatic()).containsExactlyInAnyOrder(LlcConfig.Setting.BURN_IN_STEPS,
                LlcConfig.Setting.DRAWS);
        LlcRecord record = LlcRecord.of(estimate, 12, 1, SampleRecords.START);

        LlcEstimate back = RecordJson.estimateFromJson(RecordJson.toJson(estimate));
        LlcRecord backRecord = (LlcRecord) RecordJson.decode(RecordJson.encode(record));

        assertThat(back).isEqualTo(estimate);
        assertThat(back.tuning()).isEqualTo(estimate.tuning());
        assertThat(back.config()).isEqualTo(estimate.config());
        assertThat(back.config().timeLimit()).hasValue(Duration.ofHours(1));
        assertThat(back.config().targetRelativeError()).isEqualTo(0.1);
        assertThat(back.config().maxStepsPerChain()).isEqualTo(3_000);
        assertThat(back.standardError()).isEqualTo(estimate.standardError());
        assertThat(backRecord).isEqualTo(record);
    }

    @Test
    void aConfigThatWasNeverResolvedIsWrittenWithNullsAndReadBackAutomatic() {
        LlcEstimate sample = SampleRecords.llc(2).estimate();
        LlcConfig automatic = new LlcConfig.Builder().trainingSetSize(1000).chains(2).threads(1).build();
        LlcEstimate estimate = LlcEstimate.of(automatic, sample.dimension(), sample.dataSize(), sample.baselineLoss(),
                sample.chains(), sample.mean(), sample.std(), sample.standardError(), sample.rHat(),
                sample.effectiveSampleSize(), sample.fractionBelowBaseline(), sample.wallTime(), List.of(),
                LlcEstimate.Tuning.FIXED);

        JsonObject config = RecordJson.toJson(estimate).getAsJsonObject("config");
        LlcEstimate back = RecordJson.estimateFromJson(RecordJson.toJson(estimate));

        assertThat(List.of("stepSize", "localization", "burnInSteps", "draws"))
                .allSatisfy(field -> assertThat(config.get(field).isJsonNull()).as(field).isTrue());
        assertThat(config.has("timeLimit")).isFalse();
        assertThat(back.config()).isEqualTo(automatic);
        assertThat(back.config().automatic()).containsExactlyInAnyOrder(LlcConfig.Setting.values());
    }

    @Test
    void aConfigWithoutAnAutomaticCapableSettingIsRejectedNamingIt() {
        JsonObject o = RecordJson.toJson(SampleRecords.llc(5).estimate());
        o.getAsJsonObject("config").remove("draws");

        assertThatThrownBy(() -> RecordJson.estimateFromJson(o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field draws must be present, null when automatic (got: none)");
    }

    @Test
    void anLlcRecordWithoutTuningReadsAsAllSettingsFixed() {
        JsonObject o = RecordJson.toJson(SampleRecords.llc(5));
        o.remove("tuning");
        o.remove("reliable");
        o.getAsJsonObject("config").remove("targetRelativeError");
        o.getAsJsonObject("config").remove("maxStepsPerChain");

        LlcRecord back = (LlcRecord) RecordJson.fromJson(o);

        assertThat(back.estimate().tuning()).isEqualTo(LlcEstimate.Tuning.FIXED);
        assertThat(back.estimate().tuning().reproducible()).isTrue();
        // Older files read with the step cap those versions had, not today's default.
        assertThat(back.estimate().config()).isEqualTo(SampleRecords.llc(5).estimate().config().toBuilder()
                .maxStepsPerChain(20_000).build());
        assertThat(back.estimate().mean()).isEqualTo(SampleRecords.llc(5).estimate().mean());
    }

    @Test
    void theJsonSaysWhetherTheEstimateIsReliable() {
        LlcEstimate sample = SampleRecords.llc(6).estimate();

        JsonObject flagged = RecordJson.toJson(withWarnings(sample, List.of("the chains disagree")));
        JsonObject clean = RecordJson.toJson(withWarnings(sample, List.of()));

        assertThat(flagged.get("reliable").getAsBoolean()).isFalse();
        assertThat(clean.get("reliable").getAsBoolean()).isTrue();
        assertThat(RecordJson.estimateFromJson(flagged).isReliable()).isFalse();
        // Derived: a hand-edited flag does not override the warnings.
        flagged.addProperty("reliable", true);
        assertThat(RecordJson.estimateFromJson(flagged).isReliable()).isFalse();
    }

    private static LlcEstimate withWarnings(LlcEstimate e, List<String> warnings) {
        return LlcEstimate.of(e.config(), e.dimension(), e.dataSize(), e.baselineLoss(), e.chains(), e.mean(), e.std(),
                e.standardError(), e.rHat(), e.effectiveSampleSize(), e.fractionBelowBaseline(), e.wallTime(),
                warnings, e.tuning());
    }
}
