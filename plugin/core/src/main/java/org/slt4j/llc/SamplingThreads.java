package org.slt4j.llc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The end of the sampler's thread pools: a listener's {@code close()} promises that no slt4j thread outlives it, so
 * an estimate waits for its pools' threads to end, not only for their work.
 */
final class SamplingThreads {
    private SamplingThreads() {
    }

    /** Waits until the threads of a pool that was shut down have ended (their work is done or interrupted). */
    static void awaitEnd(ExecutorService pool) {
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
