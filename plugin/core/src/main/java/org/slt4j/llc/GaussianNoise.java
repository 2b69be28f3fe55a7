package org.slt4j.llc;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded stream of standard normal vectors in reused buffers (no allocation per step).
 *
 * <p>Generating Gaussian noise for a large network costs about half a forward-backward pass, so with
 * {@code prefetch} the next vector is generated on a helper thread while the caller computes its gradient,
 * into a second buffer. The sequence of vectors is the same with or without prefetching: one generator, used
 * in order, by one thread at a time.
 */
final class GaussianNoise implements AutoCloseable {
    /** Below this many parameters, noise is cheaper than handing it between threads. */
    static final long PREFETCH_MIN_LENGTH = 16_384;

    private final Random rng;
    private final INDArray[] buffers;
    private final ExecutorService filler;
    private final SamplingThreads fillerThread = new SamplingThreads("slt4j-sgld-noise");
    private Future<?> pending;
    private int current;

    GaussianNoise(long seed, DataType dataType, long[] shape, boolean prefetch) {
        this.rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        this.buffers = new INDArray[prefetch ? 2 : 1];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = Nd4j.createUninitialized(dataType, shape);
        }
        if (prefetch) {
            filler = Executors.newSingleThreadExecutor(fillerThread);
            pending = filler.submit(() -> fill(buffers[0]));
        } else {
            filler = null;
        }
    }

    /** Whether prefetching pays off for vectors of this length given the spare processors. */
    static boolean worthPrefetching(long length, int busyThreads) {
        return length >= PREFETCH_MIN_LENGTH && 2 * busyThreads <= Runtime.getRuntime().availableProcessors();
    }

    /** The next N(0, 1) vector; valid until the next call. */
    INDArray next() {
        if (filler == null) {
            fill(buffers[0]);
            return buffers[0];
        }
        await(pending);
        INDArray ready = buffers[current];
        current ^= 1;
        INDArray other = buffers[current];
        pending = filler.submit(() -> fill(other));
        return ready;
    }

    private void fill(INDArray buffer) {
        Nd4j.getExecutioner().exec(new GaussianDistribution(buffer, 0.0, 1.0), rng);
    }

    private static void await(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating SGLD noise", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("SGLD noise generation failed", e.getCause());
        }
    }

    @Override
    public void close() {
        if (filler != null) {
            filler.shutdown();
            try {
                // The generator may still be in use by the fill in flight; release it only after.
                pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException ignored) {
                // The failure was reported by next(), or the stream is being abandoned.
            }
            fillerThread.awaitEnd(filler);
        }
        try {
            rng.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not release the native random generator", e);
        }
    }
}
