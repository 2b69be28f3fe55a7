package org.slt4j.llc;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** A seeded stream of standard normal vectors written into one reused buffer (no allocation per step). */
final class GaussianNoise implements AutoCloseable {
    private final Random rng;
    private final INDArray buffer;

    GaussianNoise(long seed, DataType dataType, long[] shape) {
        this.rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        this.buffer = Nd4j.createUninitialized(dataType, shape);
    }

    /** Fills the buffer with fresh N(0, 1) draws and returns it; valid until the next call. */
    INDArray next() {
        Nd4j.getExecutioner().exec(new GaussianDistribution(buffer, 0.0, 1.0), rng);
        return buffer;
    }

    @Override
    public void close() {
        try {
            rng.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not release the native random generator", e);
        }
    }
}
