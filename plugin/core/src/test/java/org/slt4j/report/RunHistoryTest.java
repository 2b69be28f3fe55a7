package org.slt4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunHistoryTest {

    @TempDir
    Path dir;

    @Test
    void recordsAreSortedByIterationWhateverTheirArrivalOrder() {
        LlcRecord late = SampleRecords.llc(50);
        LlcRecord early = SampleRecords.llc(10);
        RunHistory history = RunHistory.of(List.of(SampleRecords.header(), late, SampleRecords.loss(20, 1), early));
        assertThat(history.llcRecords()).containsExactly(early, late);
        assertThat(history.llc().iterations()).containsExactly(10, 50);
        assertThat(history.llc().values()).containsExactly(early.estimate().mean(), late.estimate().mean());
        assertThat(history.llc().errors())
                .containsExactly(early.estimate().standardError(), late.estimate().standardError());
        assertThat(history.latestLlc()).contains(late);
        assertThat(history.header()).contains(SampleRecords.header());
    }

    @Test
    void recalibrationsAreWhereTheWholeNetworksSegmentChanges() {
        RunHistory history = RunHistory.of(SegmentRecords.all());
        assertThat(history.llcRecords()).extracting(LlcRecord::segment).containsExactly(0, 0, 1);
        assertThat(history.llcRecalibrations()).containsExactly(40);
        assertThat(RunHistory.of(List.of(SampleRecords.llc(10), SampleRecords.llc(20))).llcRecalibrations())
                .isEmpty();
    }

    @Test
    void symmetryMetricsBecomeOneSeriesPerLayer() {
        RunHistory history = RunHistory.of(List.of(SampleRecords.symmetry(10, 0), SampleRecords.symmetry(20, 3)));
        assertThat(history.layerNames()).containsExactly("0", "1");
        Series dead = history.layer("0", LayerMetric.DEAD_FRACTION);
        assertThat(dead.name()).isEqualTo("0/DEAD_FRACTION");
        assertThat(dead.iterations()).containsExactly(10, 20);
        assertThat(dead.values()).containsExactly(0.0, 3 / 8.0);
        assertThat(history.layer("1", LayerMetric.NUMERICAL_RANK).values()).containsOnly(Double.NaN);
        assertThat(history.layer("missing", LayerMetric.EFFECTIVE_WIDTH).isEmpty()).isTrue();
        assertThat(history.llcUpperBound().values()).containsExactly(28.5, 28.5);
    }

    @Test
    void lossEventsFailuresAndSkipsAreReadable() {
        RunHistory history = RunHistory.of(SampleRecords.all());
        assertThat(history.loss().iterations()).containsExactly(0, 30);
        assertThat(history.loss().lastValue()).isNaN();
        assertThat(history.events()).hasSize(1);
        assertThat(history.failures()).extracting(FailureRecord::diagnostic).containsExactly(Diagnostic.LLC);
        assertThat(history.skips()).extracting(SkipRecord::reason).containsExactly(SkipRecord.Reason.OVER_BUDGET);
    }

    @Test
    void aJsonlFileReadsBackAndATornLastLineIsIgnored() throws IOException {
        Path file = dir.resolve("run.jsonl");
        try (JsonlSink sink = new JsonlSink(file)) {
            SampleRecords.all().forEach(sink::write);
        }
        Files.writeString(file, "{\"type\":\"loss\",\"itera", StandardOpenOption.APPEND);
        RunHistory history = RunHistory.readJsonl(file);
        assertThat(history.records()).hasSize(SampleRecords.all().size() - 1);
        assertThat(history.llcRecords()).containsExactly((LlcRecord) SampleRecords.all().get(2));
    }

    @Test
    void aCorruptLineInsideAJsonlFileIsReportedWithItsNumber() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), RecordJson.encode(SampleRecords.header())
                + "\ngarbage\n" + RecordJson.encode(SampleRecords.loss(1, 1)) + "\n");
        assertThatThrownBy(() -> RunHistory.readJsonl(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }
}
