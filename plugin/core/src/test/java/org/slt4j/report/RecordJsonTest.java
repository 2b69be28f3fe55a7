package org.slt4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
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
        assertThat(back.config()).isEqualTo(record.config());
        assertThat(back.config().seed()).isEqualTo(7);
        assertThat(back.chains()).hasSize(2);
        assertThat(back.chains().get(1).lossTrace()).containsExactly(record.chains().get(1).lossTrace());
        assertThat(back.mean()).isEqualTo(record.mean());
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
                .threads(1).keepTraces(false).build()).estimate(AnalyticSurfaces.quadratic(1, 1));
        JsonObject o = RecordJson.toJson(estimate);
        assertThat(o.get("mean").getAsDouble()).isEqualTo(estimate.mean());
        assertThat(o.getAsJsonArray("chains")).hasSize(2);
        assertThat(o.getAsJsonObject("config").get("nBeta").getAsDouble()).isEqualTo(10.0);
        assertThat(o.has("iteration")).isFalse();
        assertThat(o.has("type")).isFalse();
    }

    @Test
    void llcRecordsCanDropTheirTraces() {
        LlcRecord slim = SampleRecords.llc(1).withoutTraces();
        assertThat(slim.chains()).allSatisfy(c -> assertThat(c.lossTrace()).isEmpty());
        assertThat(RecordJson.encode(slim).length()).isLessThan(RecordJson.encode(SampleRecords.llc(1)).length());
        assertThat(List.of(slim.mean())).containsExactly(SampleRecords.llc(1).mean());
    }
}
