package org.slt4j.llc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.LossSurface.Evaluator;

/** Surfaces for tests that change how another surface's evaluators behave. */
final class WrappedSurfaces {
    private WrappedSurfaces() {
    }

    /**
     * The surface with each evaluator replaced by what {@code wrap} makes of it, given the evaluator's index in the
     * order they were created (an estimator creates one per chain, in the chains' order, when the surface's data is
     * a single batch).
     */
    static LossSurface wrapping(LossSurface surface, BiFunction<Integer, Evaluator, Evaluator> wrap) {
        AtomicInteger created = new AtomicInteger();
        return new LossSurface() {
            @Override
            public long dimension() {
                return surface.dimension();
            }

            @Override
            public int dataSize() {
                return surface.dataSize();
            }

            @Override
            public DataType dataType() {
                return surface.dataType();
            }

            @Override
            public INDArray initialParameters() {
                return surface.initialParameters();
            }

            @Override
            public Evaluator newEvaluator() {
                return wrap.apply(created.getAndIncrement(), surface.newEvaluator());
            }
        };
    }

    /** Forwards everything to another evaluator but its per-example losses, which it hides; override to change. */
    static class Forwarding implements Evaluator {
        private final Evaluator inner;

        Forwarding(Evaluator inner) {
            this.inner = inner;
        }

        @Override
        public INDArray parameters() {
            return inner.parameters();
        }

        @Override
        public double lossAndGradient(int[] batch) {
            return inner.lossAndGradient(batch);
        }

        @Override
        public INDArray gradient() {
            return inner.gradient();
        }

        @Override
        public double loss(int[] batch) {
            return inner.loss(batch);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
