package org.slt4j.llc;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded stream of standard normal vectors in reused buffers (no allocation per step).
 *
 * <p>The values come from Java's {@link SplittableRandom#nextGaussian()} (McFarland's modified ziggurat, specified
 * by Java 17's {@code RandomGenerator}) and are copied in bulk into the buffer's native memory: 3.7-6 times faster than
 * ND4J's {@code GaussianDistribution} op (docs/benchmarks.md, "The SGLD noise"), and the same on every platform and
 * backend. Generating the noise for a large network still costs a fair part of a forward-backward pass, so with
 * {@code prefetch} the next vector is generated on a helper thread while the caller computes its gradient,
 * into a second buffer. The sequence of vectors is the same with or without prefetching: one generator, used
 * in order, by one thread at a time.
 */
final class GaussianNoise implements AutoCloseable {
    /** Below this many parameters, noise is cheaper than handing it between threads. */
    static final long PREFETCH_MIN_LENGTH = 16_384;

    private final SplittableRandom random;
    private final INDArray[] buffers;
    /** The values of the vector being generated, before their copy into its buffer; of the buffers' type. */
    private final double[] doubles;
    private final float[] floats;
    private final ExecutorService filler;
    private final SamplingThreads fillerThread = new SamplingThreads("slt4j-sgld-noise");
    private Future<?> pending;
    private int current;

    GaussianNoise(long seed, DataType dataType, long[] shape, boolean prefetch) {
        this.random = new SplittableRandom(seed);
        this.buffers = new INDArray[prefetch ? 2 : 1];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = Nd4j.createUninitialized(dataType, shape);
        }
        int length = Math.toIntExact(buffers[0].length());
        this.floats = dataType == DataType.FLOAT ? new float[length] : null;
        this.doubles = floats == null ? new double[length] : null;
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
        if (floats != null) {
            for (int i = 0; i < floats.length; i++) {
                floats[i] = (float) random.nextGaussian();
            }
            buffer.data().asNioFloat().put(0, floats);
            return;
        }
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = random.nextGaussian();
        }
        if (buffer.dataType() == DataType.DOUBLE) {
            buffer.data().asNioDouble().put(0, doubles);
        } else {
            // Half precision and the like: converted element by element.
            buffer.data().setData(doubles);
        }
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
    }
}
