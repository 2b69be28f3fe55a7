package org.slt4j.listener;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener's background thread in asynchronous mode: one daemon thread, started on the first submission, and a
 * bound on the work queued or running there. Work must catch its own failures; one that escapes is a bug and is
 * rethrown by {@link #awaitCompletion()}.
 */
final class DiagnosticsExecutor {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final int maxPending;
    private final Queue<Future<?>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private ExecutorService executor;
    private volatile Thread backgroundThread;

    DiagnosticsExecutor(int maxPending) {
        this.maxPending = maxPending;
    }

    /** Whether {@code maxPending} work items are queued or running, so a new one must be skipped. */
    boolean isFull() {
        return pendingCount.get() >= maxPending;
    }

    /** Why a new work item is skipped when {@link #isFull()}. */
    String describeFull() {
        return pendingCount.get() + " diagnostics pending (maxPending " + maxPending + ")";
    }

    /** Queues the work on the background thread (the caller checked {@link #isFull()}). */
    void submit(Runnable work) {
        pendingCount.incrementAndGet();
        pending.add(executor().submit(() -> {
            try {
                work.run();
            } finally {
                pendingCount.decrementAndGet();
            }
        }));
    }

    /** Whether the calling thread is the background thread. */
    boolean isBackgroundThread() {
        return Thread.currentThread() == backgroundThread;
    }

    /** Waits until every submitted work item has finished. */
    void awaitCompletion() {
        Future<?> next;
        while ((next = pending.poll()) != null) {
            try {
                next.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for diagnostics", e);
            } catch (ExecutionException e) {
                // Work catches its own failures; reaching here is a bug, not a diagnostic failure.
                throw new IllegalStateException("diagnostic task failed unexpectedly", e.getCause());
            }
        }
    }

    /** Stops the background thread once the work already submitted has run. */
    void shutdown() {
        if (executor != null) {
            executor.shutdown();
        }
    }

    private ExecutorService executor() {
        if (executor == null) {
            String name = "slt4j-diagnostics-" + THREADS.incrementAndGet();
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                backgroundThread = t;
                return t;
            });
        }
        return executor;
    }
}
