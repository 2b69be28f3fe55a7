package org.slt4j.report.storage;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.RecordType;
import org.slt4j.report.RunHeader;

/**
 * Posts records to a DL4J {@link StatsStorageRouter} (InMemoryStatsStorage, FileStatsStorage,
 * RemoteUIStatsStorageRouter...) as {@link StoredRecord}s, under the session and worker IDs of the run's
 * {@link RunHeader}, so the DL4J UI and {@link StoredRun#read} can read them.
 *
 * <p>The header is posted first, as static info under every slt4j type ID (StatsStorage ignores updates of a
 * type without static info); every other record is posted as an update of its type. StatsStorage keys updates
 * by millisecond timestamp, so the sink moves each update's timestamp forward by the least amount that keeps it
 * unique and increasing per type (updates are never overwritten).
 *
 * <h2>Batches</h2>
 * Loss and metric records, which come up to once per iteration, are held back and posted in batches: one update
 * of their type holding many records. A DL4J FileStatsStorage commits every update to disk (5 to 15 ms each on the disk
 * of docs/benchmarks.md, longer than many training steps) and a RemoteUIStatsStorageRouter sends each one as an HTTP
 * request; a batch costs one. This relaxes the {@link DiagnosticsSink} contract for these two types only, with
 * bounds:
 * <ul>
 *   <li>a held-back record is posted at most {@code maxDelay} after its {@link #write} returned, by the sink's
 *       thread if no other call posts it first, so the page shows the loss even while training pauses;</li>
 *   <li>at most {@code maxBatch - 1} records are held back: the write that holds the {@code maxBatch}-th posts
 *       them all before it returns;</li>
 *   <li>every record of another type (the header included) posts the held-back records before itself, and so do
 *       {@link #flush()} and {@link #close()}.</li>
 * </ul>
 * So a killed run keeps everything written before its last record of another type, and loses at most the loss and
 * metric records of its last {@code maxDelay}, fewer than {@code maxBatch} of them. A batch is keyed by its latest
 * record's timestamp (moved forward as above); its records keep their own timestamps.
 *
 * <p>The sink's thread is a daemon thread, started by the first record held back and ended when the sink has held
 * nothing back for ten seconds, and by {@link #close()}, which waits until it has ended. When it fails to post the
 * held-back records (the records are lost), the failure is thrown by the next {@link #write}, {@link #flush()} or
 * {@link #close()}, after it has done its own work, so that the listeners record it like any write failure. A
 * {@code maxBatch} of 1 posts every record as it is written and starts no thread.
 *
 * <p>Thread-safe: its calls and its thread's posts are serialized on the sink.
 */
public final class StatsStorageSink implements DiagnosticsSink {
    /** The default {@code maxBatch} ({@value}): the write that holds that many records back posts them all. */
    public static final int DEFAULT_MAX_BATCH = 1_000;
    /** The default {@code maxDelay} (one second): how long a record is held back at most. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1);
    /** The record types held back: those written up to once per iteration. */
    private static final Set<RecordType> HELD_BACK = EnumSet.of(RecordType.LOSS, RecordType.METRIC);
    private static final long IDLE_SECONDS = 10;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final StatsStorageRouter router;
    private final int maxBatch;
    private final Duration maxDelay;
    private final Map<RecordType, Long> lastTimestamps = new EnumMap<>(RecordType.class);
    private final Map<RecordType, List<DiagnosticRecord>> heldBack = new EnumMap<>(RecordType.class);
    private int heldBackCount;
    private RunHeader header;
    private ScheduledThreadPoolExecutor timer;
    private volatile Thread timerThread;
    private ScheduledFuture<?> timedPost;
    private RuntimeException backgroundFailure;
    private boolean closed;

    /**
     * A sink posting to the given router, holding loss and metric records back for at most
     * {@link #DEFAULT_MAX_DELAY}, fewer than {@link #DEFAULT_MAX_BATCH} of them.
     */
    public StatsStorageSink(StatsStorageRouter router) {
        this(router, DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY);
    }

    /**
     * A sink posting to the given router with the given bounds on the loss and metric records it holds back (see
     * the class description).
     *
     * @param maxBatch how many records make a batch that is posted at once; 1 posts every record as it is written
     * @param maxDelay how long a record is held back at most
     * @throws IllegalArgumentException if {@code maxBatch} is below 1 or {@code maxDelay} is not positive
     */
    public StatsStorageSink(StatsStorageRouter router, int maxBatch, Duration maxDelay) {
        this.router = Objects.requireNonNull(router, "router");
        Preconditions.checkArgument(maxBatch >= 1, "maxBatch must be >= 1 (got: %s)", maxBatch);
        Objects.requireNonNull(maxDelay, "maxDelay");
        Preconditions.checkArgument(maxDelay.compareTo(Duration.ZERO) > 0, "maxDelay must be > 0 (got: %s)",
                maxDelay);
        this.maxBatch = maxBatch;
        this.maxDelay = maxDelay;
    }

    /** The router records are posted to. */
    public StatsStorageRouter router() {
        return router;
    }

    /**
     * A new sink posting to the same router with the same bounds, for another worker: a sink posts under the worker
     * ID of the run header it got.
     */
    public StatsStorageSink copy() {
        return new StatsStorageSink(router, maxBatch, maxDelay);
    }

    /**
     * Posts a record, or holds it back (see the class description).
     *
     * @throws IllegalStateException if a training record comes before the run header, if the sink is closed, or
     *                               if the sink's thread failed to post held-back records since the last call
     */
    @Override
    public synchronized void write(DiagnosticRecord record) {
        Preconditions.checkState(!closed, "a %s record was written after close()", record.type());
        thenThrowBackgroundFailure(() -> post(record));
    }

    /**
     * Posts the records held back.
     *
     * @throws IllegalStateException if the sink's thread failed to post held-back records since the last call
     */
    @Override
    public synchronized void flush() {
        thenThrowBackgroundFailure(this::postHeldBack);
    }

    /**
     * Posts the records held back and ends the sink's thread; waits until it has ended. Leaves the router open: it
     * belongs to the caller. Idempotent.
     *
     * @throws IllegalStateException if the sink's thread failed to post held-back records since the last call
     */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor ending;
        RuntimeException failure = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                flush();
            } catch (RuntimeException e) {
                failure = e;
            }
            ending = timer;
        }
        // Outside the lock: a post the thread has begun waits for it, and then finds the sink closed.
        if (ending != null) {
            ending.shutdown();
            awaitEnd(ending);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Runs the action; then throws the failure of the sink's thread, if any (suppressed by the action's own). */
    private void thenThrowBackgroundFailure(Runnable action) {
        RuntimeException earlier = backgroundFailure;
        backgroundFailure = null;
        try {
            action.run();
        } catch (RuntimeException e) {
            if (earlier != null) {
                e.addSuppressed(earlier);
            }
            throw e;
        }
        if (earlier != null) {
            throw earlier;
        }
    }

    private void post(DiagnosticRecord record) {
        if (record instanceof RunHeader h) {
            postHeldBack();
            header = h;
            List<StoredRecord> infos = new ArrayList<>();
            for (RecordType type : RecordType.values()) {
                infos.add(new StoredRecord(h.sessionId(), type.typeId(), h.workerId(), h.timestamp().toEpochMilli(),
                        List.of(h)));
            }
            router.putStaticInfo(infos);
            return;
        }
        Preconditions.checkState(header != null, "the run header must be written before any other record "
                + "(got: %s first)", record.type());
        if (HELD_BACK.contains(record.type()) && maxBatch > 1) {
            hold(record);
        } else {
            postHeldBack();
            postUpdate(List.of(record));
        }
    }

    private void hold(DiagnosticRecord record) {
        heldBack.computeIfAbsent(record.type(), t -> new ArrayList<>()).add(record);
        heldBackCount++;
        if (heldBackCount >= maxBatch) {
            postHeldBack();
        } else if (timedPost == null) {
            timedPost = timer().schedule(this::postInBackground, maxDelay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Posts every batch held back; one that fails is lost, the others are still posted, then it is thrown. */
    private void postHeldBack() {
        if (timedPost != null) {
            timedPost.cancel(false);
            timedPost = null;
        }
        heldBackCount = 0;
        RuntimeException failure = null;
        for (RecordType type : HELD_BACK) {
            List<DiagnosticRecord> batch = heldBack.remove(type);
            if (batch != null) {
                try {
                    postUpdate(batch);
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Posts records of one type as one update, keyed by their latest timestamp moved forward as needed. */
    private void postUpdate(List<DiagnosticRecord> records) {
        RecordType type = records.get(0).type();
        long wanted = records.stream().mapToLong(r -> r.timestamp().toEpochMilli()).max().orElseThrow();
        Long last = lastTimestamps.get(type);
        long timestamp = last == null ? wanted : Math.max(wanted, last + 1);
        lastTimestamps.put(type, timestamp);
        router.putUpdate(new StoredRecord(header.sessionId(), header.workerId(), timestamp, records));
    }

    /** The timed post, on the sink's thread: a failure is kept for the next call. */
    private synchronized void postInBackground() {
        if (closed || heldBackCount == 0) {
            return;
        }
        int count = heldBackCount;
        try {
            postHeldBack();
        } catch (RuntimeException e) {
            IllegalStateException failure = new IllegalStateException(this + " failed to post " + count
                    + " held-back records (they are lost): " + e, e);
            if (backgroundFailure == null) {
                backgroundFailure = failure;
            } else {
                backgroundFailure.addSuppressed(failure);
            }
        }
    }

    private ScheduledThreadPoolExecutor timer() {
        if (timer == null) {
            String name = "slt4j-storage-sink-" + THREADS.incrementAndGet();
            timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                timerThread = t;
                return t;
            });
            timer.setRemoveOnCancelPolicy(true);
            timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            timer.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
            timer.allowCoreThreadTimeOut(true);
        }
        return timer;
    }

    /** Waits until the shut-down timer's thread has ended (the pool reports termination a little before). */
    private void awaitEnd(ScheduledThreadPoolExecutor ending) {
        try {
            Thread thread = timerThread;
            if (!ending.awaitTermination(1, TimeUnit.MINUTES) || thread != null && !joined(thread)) {
                throw new IllegalStateException(this + ": its thread has not ended a minute after close()");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean joined(Thread thread) throws InterruptedException {
        thread.join(TimeUnit.MINUTES.toMillis(1));
        return !thread.isAlive();
    }

    @Override
    public String toString() {
        return "StatsStorageSink(" + router.getClass().getSimpleName() + ")";
    }
}
