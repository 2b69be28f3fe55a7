package org.slt4j.listener;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's background thread in asynchronous mode: one daemon thread, started on the first submission, and a
 * bound on the work queued or running there. Work must catch its own failures; one that escapes is a bug and is
 * rethrown by {@link #awaitCompletion()}.
 */
final class DiagnosticsExecutor {
    // Logged under the public class's name: that is the logger users configure.
    private static final Logger log = LoggerFactory.getLogger(DiagnosticsListener.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final int maxPending;
    private final Queue<Future<?>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private volatile ExecutorService executor;
    private String threadName;
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

    /**
     * Stops the background thread once the work already submitted has run, and waits until it has ended, so that
     * no thread of the listener is left when its {@code close()} returns.
     */
    void shutdown() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            // The pool reports its termination before its thread has quite ended: join the thread too.
            Thread thread = backgroundThread;
            if (!executor.awaitTermination(1, TimeUnit.MINUTES) || !ended(thread)) {
                log.warn("slt4j: the diagnostics thread {} has not ended a minute after shutdown", threadName);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to a minute for the thread (null: none was started) to end; whether it has. */
    private static boolean ended(Thread thread) throws InterruptedException {
        if (thread == null) {
            return true;
        }
        thread.join(TimeUnit.MINUTES.toMillis(1));
        return !thread.isAlive();
    }

    private ExecutorService executor() {
        if (executor == null) {
            threadName = "slt4j-diagnostics-" + THREADS.incrementAndGet();
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                backgroundThread = t;
                return t;
            });
        }
        return executor;
    }
}
