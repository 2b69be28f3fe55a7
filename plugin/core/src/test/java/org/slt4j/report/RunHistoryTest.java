package org.slt4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.report.storage.StatsStorageSink;
import org.slt4j.report.storage.StoredRecord;

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
        assertThat(history.llc().values()).containsExactly(early.mean(), late.mean());
        assertThat(history.llc().errors()).containsExactly(early.standardError(), late.standardError());
        assertThat(history.latestLlc()).contains(late);
        assertThat(history.header()).contains(SampleRecords.header());
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

    @Test
    void aStatsStorageSessionReadsBackLikeTheJsonlFile() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(storage);
        SampleRecords.all().forEach(sink::write);
        RunHistory fromStorage = RunHistory.fromStatsStorage(storage, "session-1");
        RunHistory direct = RunHistory.of(SampleRecords.all());
        assertThat(fromStorage.header()).isEqualTo(direct.header());
        assertThat(fromStorage.records().stream().map(RecordJson::encode))
                .containsExactlyElementsOf(direct.records().stream().map(RecordJson::encode).toList());
    }

    @Test
    void storageTimestampsAreMadeUniqueSoNoRecordOverwritesAnother() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(storage);
        sink.write(SampleRecords.header());
        for (int i = 0; i < 5; i++) {
            sink.write(new LossRecord(i, 0, SampleRecords.START, i));
        }
        assertThat(storage.getAllUpdateTimes("session-1", RecordType.LOSS.typeId(), "worker-1")).hasSize(5);
        assertThat(RunHistory.fromStatsStorage(storage, "session-1").loss().values())
                .containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aTrainingRecordBeforeTheHeaderIsRefusedByTheStorageSink() {
        StatsStorageSink sink = new StatsStorageSink(new InMemoryStatsStorage());
        assertThatThrownBy(() -> sink.write(SampleRecords.loss(1, 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("header must be written before");
    }

    @Test
    void anUnknownSessionIsRefusedListingTheSessions() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        new StatsStorageSink(storage).write(SampleRecords.header());
        assertThatThrownBy(() -> RunHistory.fromStatsStorage(storage, "other"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("session-1");
    }

    @Test
    void storedRecordsAreRebuiltFromClassNameAndBytesAsDl4jStoragesDo() throws Exception {
        StoredRecord stored = new StoredRecord("s", "w", 42, SampleRecords.all().get(2));
        Persistable rebuilt = (Persistable) Class.forName(stored.getClass().getName()).getDeclaredConstructor()
                .newInstance();
        rebuilt.decode(stored.encode());
        assertThat(rebuilt.getSessionID()).isEqualTo("s");
        assertThat(rebuilt.getWorkerID()).isEqualTo("w");
        assertThat(rebuilt.getTypeID()).isEqualTo("slt4j-llc");
        assertThat(rebuilt.getTimeStamp()).isEqualTo(42);
        assertThat(((StoredRecord) rebuilt).record()).isEqualTo(SampleRecords.all().get(2));
        assertThat(stored.encodingLengthBytes()).isEqualTo(stored.encode().length);
    }
}
