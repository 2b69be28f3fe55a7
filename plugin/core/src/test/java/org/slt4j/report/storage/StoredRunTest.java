package org.slt4j.report.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
        sink.close();
        RunHistory fromStorage = StoredRun.read(storage, "session-1").history();
        RunHistory direct = RunHistory.of(SampleRecords.all());
        assertThat(fromStorage.header()).isEqualTo(direct.header());
        assertThat(fromStorage.records().stream().map(RecordJson::encode))
                .containsExactlyElementsOf(direct.records().stream().map(RecordJson::encode).toList());
    }

    @Test
    void storageTimestampsAreMadeUniqueSoNoRecordOverwritesAnother() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(storage, 1, Duration.ofSeconds(1));
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
        StoredRecord stored = new StoredRecord("s", "w", 42, List.of(SampleRecords.all().get(2)));
        StoredRecord rebuilt = rebuild(stored.encode());
        assertThat(rebuilt.getSessionID()).isEqualTo("s");
        assertThat(rebuilt.getWorkerID()).isEqualTo("w");
        assertThat(rebuilt.getTypeID()).isEqualTo("slt4j-llc");
        assertThat(rebuilt.getTimeStamp()).isEqualTo(42);
        assertThat(rebuilt.records()).containsExactly(SampleRecords.all().get(2));
        assertThat(stored.encode()[0]).as("format byte of one record").isEqualTo((byte) 1);
        assertThat(stored.encodingLengthBytes()).isEqualTo(stored.encode().length);
    }

    @Test
    void aBatchIsRebuiltFromItsBytesWithItsRecordsInOrder() throws Exception {
        List<LossRecord> batch = List.of(SampleRecords.loss(3, 0.3), SampleRecords.loss(1, 0.1),
                SampleRecords.loss(2, Double.NaN));
        StoredRecord stored = new StoredRecord("s", "w", 42, batch);

        StoredRecord rebuilt = rebuild(stored.encode());

        assertThat(stored.encode()[0]).as("format byte of a batch").isEqualTo((byte) 2);
        assertThat(rebuilt.getTypeID()).isEqualTo("slt4j-loss");
        assertThat(rebuilt.getTimeStamp()).isEqualTo(42);
        assertThat(rebuilt.records().stream().map(RecordJson::encode))
                .containsExactlyElementsOf(batch.stream().map(RecordJson::encode).toList());
        assertThat(stored.encodingLengthBytes()).isEqualTo(stored.encode().length);
    }

    @Test
    void recordsStoredBeforeBatchesExistedStillRead() throws Exception {
        // Format 1, as slt4j wrote every record before batches, built byte by byte.
        String json = RecordJson.encode(SampleRecords.loss(7, 0.7));
        ByteBuffer old = ByteBuffer.allocate(200 + json.length());
        old.put((byte) 1);
        for (String key : new String[] {"s", "slt4j-loss", "w"}) {
            old.putInt(key.length()).put(key.getBytes(StandardCharsets.UTF_8));
        }
        old.putLong(99).putInt(json.length()).put(json.getBytes(StandardCharsets.UTF_8));

        StoredRecord rebuilt = rebuild(Arrays.copyOf(old.array(), old.position()));

        assertThat(rebuilt.getTimeStamp()).isEqualTo(99);
        assertThat(rebuilt.records().stream().map(RecordJson::encode)).containsExactly(json);
    }

    @Test
    void aBatchMustHoldRecordsOfOneType() {
        assertThatThrownBy(() -> new StoredRecord("s", "w", 1, List.of(SampleRecords.loss(1, 1),
                SampleRecords.metric(1, "m", 1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("records must be of one type (got: [slt4j-loss, slt4j-metric])");
        assertThatThrownBy(() -> new StoredRecord("s", "w", 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("records must not be empty");
    }

    @Test
    void anUnknownFormatIsRefusedNamingIt() {
        byte[] bytes = new StoredRecord("s", "w", 42, List.of(SampleRecords.loss(1, 1))).encode();
        bytes[0] = 3;
        assertThatThrownBy(() -> rebuild(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stored record format must be 1 or 2 (got: 3)");
    }

    /** A stored record rebuilt as DL4J's storages and remote receiver do: by class name, then decode. */
    private static StoredRecord rebuild(byte[] bytes) throws ReflectiveOperationException {
        Persistable rebuilt = (Persistable) Class.forName(StoredRecord.class.getName()).getDeclaredConstructor()
                .newInstance();
        rebuilt.decode(bytes);
        return (StoredRecord) rebuilt;
    }

    @Test
    void theLossIsSlt4jsOwnWheneverItHasAnyEvenWithStatsListenerReports() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = new StatsStorageSink(storage);
        SampleRecords.all().forEach(sink::write);
        sink.close();
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
        sink.close();

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
