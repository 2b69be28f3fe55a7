package org.slt4j.report.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RecordType;
import org.slt4j.report.SampleRecords;

/** How {@link StatsStorageSink} holds loss and metric records back and posts them in batches. */
class StatsStorageSinkTest {
    private static final Duration LONG = Duration.ofMinutes(10);
    private static final String SESSION = "session-1";
    private static final String WORKER = "worker-1";

    private final InMemoryStatsStorage storage = new InMemoryStatsStorage();

    @Test
    void theWriteThatFillsABatchPostsItAsOneUpdateBeforeItReturns() {
        StatsStorageSink sink = new StatsStorageSink(storage, 4, LONG);
        sink.write(SampleRecords.header());
        for (int i = 0; i < 3; i++) {
            sink.write(SampleRecords.loss(i, i));
        }
        assertThat(lossUpdates()).as("three held back").isZero();

        sink.write(SampleRecords.loss(3, 3));

        assertThat(lossUpdates()).isEqualTo(1);
        assertThat(StoredRun.read(storage, SESSION).history().loss().values()).containsExactly(0, 1, 2, 3);
        sink.close();
    }

    @Test
    void heldBackRecordsArePostedWithinMaxDelayWithoutAnotherCall() throws InterruptedException {
        StatsStorageSink sink = new StatsStorageSink(storage, 1_000, StatsStorageSink.DEFAULT_MAX_DELAY);
        sink.write(SampleRecords.header());
        sink.write(SampleRecords.loss(0, 1.0));
        sink.write(SampleRecords.metric(0, "accuracy", 0.5));
        long written = System.nanoTime();
        assertThat(lossUpdates()).as("held back").isZero();

        awaitTrue(() -> lossUpdates() == 1 && storage.getNumUpdateRecordsFor(SESSION, RecordType.METRIC.typeId(),
                WORKER) == 1);

        assertThat(Duration.ofNanos(System.nanoTime() - written)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        sink.close();
    }

    @Test
    void aRecordOfAnotherTypePostsTheHeldBackRecordsBeforeItself() {
        StatsStorageRouter router = mock(StatsStorageRouter.class);
        StatsStorageSink sink = new StatsStorageSink(router, 1_000, LONG);
        sink.write(SampleRecords.header());
        sink.write(SampleRecords.loss(0, 1.0));
        sink.write(SampleRecords.loss(1, 0.5));
        sink.write(SampleRecords.llc(1));

        ArgumentCaptor<Persistable> posted = ArgumentCaptor.forClass(Persistable.class);
        InOrder order = inOrder(router);
        order.verify(router).putStaticInfo(any(List.class));
        order.verify(router, times(2)).putUpdate(posted.capture());
        assertThat(posted.getAllValues()).extracting(Persistable::getTypeID)
                .containsExactly(RecordType.LOSS.typeId(), RecordType.LLC.typeId());
        assertThat(((StoredRecord) posted.getAllValues().get(0)).records()).hasSize(2);
        sink.close();
    }

    @Test
    void aKilledRunLosesOnlyTheRecordsHeldBackFewerThanMaxBatch() {
        StatsStorageRouter router = mock(StatsStorageRouter.class);
        StatsStorageSink sink = new StatsStorageSink(router, 1_000, LONG);
        sink.write(SampleRecords.header());
        for (int i = 0; i < 2_500; i++) {
            sink.write(SampleRecords.loss(i, 1.0 / (i + 1)));
        }

        // What the router has is what a run killed now keeps.
        ArgumentCaptor<Persistable> posted = ArgumentCaptor.forClass(Persistable.class);
        verify(router, times(2)).putUpdate(posted.capture());
        assertThat(posted.getAllValues()).extracting(p -> ((StoredRecord) p).records().size())
                .containsExactly(1_000, 1_000);
        sink.close();
    }

    @Test
    void batchesAreKeyedByTheirLatestRecordsTimeMovedForwardToStayIncreasing() {
        StatsStorageSink sink = new StatsStorageSink(storage, 2, LONG);
        Instant t = SampleRecords.START;
        sink.write(SampleRecords.header());
        sink.write(new LossRecord(0, 0, t.plusMillis(5), 1.0));
        sink.write(new LossRecord(1, 0, t.plusMillis(7), 1.0));
        sink.write(new LossRecord(2, 0, t.plusMillis(3), 1.0));
        sink.write(new LossRecord(3, 0, t.plusMillis(2), 1.0));
        sink.close();

        long ms = t.toEpochMilli();
        assertThat(storage.getAllUpdateTimes(SESSION, RecordType.LOSS.typeId(), WORKER)).containsExactly(ms + 7,
                ms + 8);
        assertThat(StoredRun.read(storage, SESSION).history().lossRecords()).extracting(r -> r.timestamp())
                .as("the records keep their own times").contains(t.plusMillis(2), t.plusMillis(3));
    }

    @Test
    void aFailedBackgroundPostIsThrownByTheNextWriteAfterItHasPostedItsRecord() {
        StatsStorageRouter router = mock(StatsStorageRouter.class);
        IllegalStateException storageDown = new IllegalStateException("storage down");
        doThrow(storageDown).doNothing().when(router).putUpdate(any(Persistable.class));
        StatsStorageSink sink = new StatsStorageSink(router, 1_000, Duration.ofMillis(20));
        sink.write(SampleRecords.header());
        sink.write(SampleRecords.loss(0, 1.0));
        verify(router, timeout(10_000)).putUpdate(any(Persistable.class));

        assertThatThrownBy(() -> sink.write(SampleRecords.llc(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed to post 1 held-back records (they are lost)").hasCause(storageDown);

        verify(router, times(2)).putUpdate(any(Persistable.class));
        sink.write(SampleRecords.llc(2));
        sink.close();
    }

    @Test
    void aFailedBackgroundPostIsThrownByCloseWhenNothingIsWrittenAfterIt() {
        StatsStorageRouter router = mock(StatsStorageRouter.class);
        doThrow(new IllegalStateException("storage down")).when(router).putUpdate(any(Persistable.class));
        StatsStorageSink sink = new StatsStorageSink(router, 1_000, Duration.ofMillis(20));
        sink.write(SampleRecords.header());
        sink.write(SampleRecords.loss(0, 1.0));
        verify(router, timeout(10_000)).putUpdate(any(Persistable.class));

        assertThatThrownBy(sink::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("held-back records");
    }

    @Test
    void closePostsWhatIsHeldBackAndWaitsUntilTheSinksThreadHasEnded() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        StatsStorageSink sink = new StatsStorageSink(storage, 1_000, LONG);
        sink.write(SampleRecords.header());
        sink.write(SampleRecords.loss(0, 1.0));
        List<Thread> started = new ArrayList<>(Thread.getAllStackTraces().keySet());
        started.removeAll(before);
        List<Thread> sinkThreads = started.stream().filter(t -> t.getName().startsWith("slt4j-storage-sink-"))
                .collect(Collectors.toList());
        assertThat(sinkThreads).hasSize(1);

        sink.close();

        assertThat(lossUpdates()).isEqualTo(1);
        assertThat(sinkThreads.get(0).isAlive()).isFalse();
        assertThatThrownBy(() -> sink.write(SampleRecords.loss(1, 1.0))).isInstanceOf(IllegalStateException.class)
                .hasMessage("a LOSS record was written after close()");
    }

    @Test
    void aMaxBatchOfOnePostsEveryRecordAsItIsWrittenWithoutAThread() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        StatsStorageSink sink = new StatsStorageSink(storage, 1, LONG);
        List<DiagnosticRecord> all = SampleRecords.all();
        all.forEach(sink::write);

        assertThat(lossUpdates()).isEqualTo(2);
        assertThat(Thread.getAllStackTraces().keySet()).allMatch(t -> before.contains(t)
                || !t.getName().startsWith("slt4j-storage-sink-"));
        sink.close();
    }

    @Test
    void badBoundsAreRefusedNamingThem() {
        assertThatThrownBy(() -> new StatsStorageSink(storage, 0, LONG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBatch must be >= 1 (got: 0)");
        assertThatThrownBy(() -> new StatsStorageSink(storage, 10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxDelay must be > 0 (got: PT0S)");
    }

    private int lossUpdates() {
        return storage.getNumUpdateRecordsFor(SESSION, RecordType.LOSS.typeId(), WORKER);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
