package org.slt4j.llc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads of one of the sampler's pools, kept so that they can be waited for: a listener's
 * {@code close()} promises that no slt4j thread outlives it, and a pool's termination is signalled before its
 * threads have quite ended.
 */
final class SamplingThreads implements ThreadFactory {
    private final String name;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Threads named {@code name-1}, {@code name-2}... */
    SamplingThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable runnable) {
        Thread t = new Thread(runnable, name + "-" + count.incrementAndGet());
        t.setDaemon(true);
        threads.add(t);
        return t;
    }

    /** After the pool's shutdown: waits until its work is done or interrupted and its threads have ended. */
    void awaitEnd(ExecutorService pool) {
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
