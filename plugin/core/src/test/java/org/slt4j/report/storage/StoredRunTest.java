package org.slt4j.report.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RecordType;
import org.slt4j.report.RunHistory;
import org.slt4j.report.SampleRecords;

class StoredRunTest {

    @Test
    void aStatsStorageSessionReadsBackLikeTheJsonlFile() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(storage);
        SampleRecords.all().forEach(sink::write);
        RunHistory fromStorage = StoredRun.read(storage, "session-1").history();
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
        assertThat(StoredRun.read(storage, "session-1").history().loss().values())
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
        assertThatThrownBy(() -> StoredRun.read(storage, "other"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("session-1");
    }

    @Test
    void theSlt4jSessionsAreThoseWithSlt4jRecordsNotStatsListenerOnes() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsListenerReports.post(storage, "dl4j-only", 2);
        new StatsStorageSink(storage).write(SampleRecords.header());
        StatsListenerReports.post(storage, "session-1", 2);

        assertThat(storage.listSessionIDs()).containsExactlyInAnyOrder("dl4j-only", "session-1");
        assertThat(StoredRun.sessionIds(storage)).containsExactly("session-1");
        assertThat(StoredRun.sessionIds(new InMemoryStatsStorage())).isEmpty();
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

    @Test
    void theLossIsSlt4jsOwnWheneverItHasAnyEvenWithStatsListenerReports() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(storage);
        SampleRecords.all().forEach(sink::write);
        StatsListenerReports.post(storage, "session-1", 4);

        StoredRun run = StoredRun.read(storage, "session-1");

        assertThat(run.lossSource()).isEqualTo(StoredRun.LossSource.SLT4J);
        assertThat(run.history().loss().iterations()).containsExactly(0, 30);
        assertThat(run.history().llcRecords()).hasSize(1);
    }

    @Test
    void theLossIsStatsListenersScoreWhenSlt4jRecordedNone() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(storage);
        SampleRecords.all().stream().filter(r -> !(r instanceof LossRecord)).forEach(sink::write);
        StatsListenerReports.post(storage, "session-1", 4);

        StoredRun run = StoredRun.read(storage, "session-1");

        assertThat(run.lossSource()).isEqualTo(StoredRun.LossSource.STATS_LISTENER);
        assertThat(run.history().loss().iterations()).containsExactly(0, 1, 2, 3);
        assertThat(run.history().loss().values()).containsExactly(1, 0.5, 1 / 3.0, 0.25);
        assertThat(run.history().lossKind()).isEqualTo(RunHistory.LossKind.SCORE);
        assertThat(run.history().llcRecords()).hasSize(1);
    }

    @Test
    void storedDataLossesReadBackExactly() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(storage);
        sink.write(SampleRecords.header());
        sink.write(SampleRecords.loss(0, 3600.01, 0.010000000000218279));
        sink.write(SampleRecords.loss(1, 3500.5, 0.5));

        RunHistory history = StoredRun.read(storage, "session-1").history();

        assertThat(history.lossKind()).isEqualTo(RunHistory.LossKind.DATA_LOSS);
        assertThat(history.loss().values()).containsExactly(0.010000000000218279, 0.5);
        assertThat(history.score().values()).containsExactly(3600.01, 3500.5);
    }

    @Test
    void aRunWithoutLossSaysSo() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        new StatsStorageSink(storage).write(SampleRecords.header());

        StoredRun run = StoredRun.read(storage, "session-1");

        assertThat(run.lossSource()).isEqualTo(StoredRun.LossSource.NONE);
        assertThat(run.history().lossRecords()).isEmpty();
    }
}
