package org.slt4j.surface;

import com.google.common.base.Preconditions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A contiguous block of another surface's parameters; the rest stay at the centre. */
final class RestrictedSurface implements LossSurface {
    private final LossSurface base;
    private final long from;
    private final long to;

    RestrictedSurface(LossSurface base, long from, long to) {
        Preconditions.checkArgument(0 <= from && from < to && to <= base.dimension(),
                "parameter range must satisfy 0 <= from < to <= %s (got: [%s, %s))", base.dimension(), from, to);
        this.base = base;
        this.from = from;
        this.to = to;
    }

    @Override
    public long dimension() {
        return to - from;
    }

    @Override
    public int dataSize() {
        return base.dataSize();
    }

    @Override
    public DataType dataType() {
        return base.dataType();
    }

    @Override
    public INDArray initialParameters() {
        return block(base.initialParameters()).dup();
    }

    @Override
    public LossSurface restrictTo(long blockFrom, long blockTo) {
        Preconditions.checkArgument(0 <= blockFrom && blockFrom < blockTo && blockTo <= dimension(),
                "parameter range must satisfy 0 <= from < to <= %s (got: [%s, %s))", dimension(), blockFrom,
                blockTo);
        return new RestrictedSurface(base, from + blockFrom, from + blockTo);
    }

    @Override
    public Evaluator newEvaluator() {
        Evaluator inner = base.newEvaluator();
        INDArray parameters = block(inner.parameters());
        return new Evaluator() {
            @Override
            public INDArray parameters() {
                return parameters;
            }

            @Override
            public double lossAndGradient(int[] batch) {
                return inner.lossAndGradient(batch);
            }

            @Override
            public INDArray gradient() {
                return block(inner.gradient());
            }

            @Override
            public double loss(int[] batch) {
                return inner.loss(batch);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    /** A view of [from, to) of a vector stored as [d] or [1, d]. */
    private INDArray block(INDArray vector) {
        INDArray flat = vector.rank() == 1 ? vector : vector.reshape(vector.length());
        return flat.get(NDArrayIndex.interval(from, to));
    }
}
