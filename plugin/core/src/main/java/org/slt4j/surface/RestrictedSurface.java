package org.slt4j.surface;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Some of another surface's parameters, the rest held at the centre: one contiguous block (a layer, for a per-layer
 * LLC) or several (the trainable parameters of a network with frozen layers in between). One block is a view into
 * the base evaluator's parameters; several are gathered into a vector of their own and scattered back before each
 * evaluation.
 */
final class RestrictedSurface implements LossSurface {
    private final LossSurface base;
    /** Sorted, disjoint, non-empty [from, to) ranges of the base's parameter indices. */
    private final long[][] ranges;
    private final long dimension;
    /** The [from, to) given to restrictTo, in the indices of the surface it was called on; null if not made so. */
    private final long[] requested;

    /** {@code base.restrictTo(from, to)}. */
    RestrictedSurface(LossSurface base, long from, long to) {
        this(base, new long[][] {{from, to}}, new long[] {from, to});
    }

    RestrictedSurface(LossSurface base, long[][] ranges) {
        this(base, ranges, null);
    }

    /**
     * @param ranges sorted, disjoint, non-empty {@code [from, to)} ranges of the base's parameter indices
     * @param requested the block given to restrictTo, or null
     * @throws IllegalArgumentException if they are not
     */
    private RestrictedSurface(LossSurface base, long[][] ranges, long[] requested) {
        Preconditions.checkArgument(ranges.length > 0, "parameter ranges must not be empty (got: none)");
        long previousEnd = 0;
        long d = 0;
        for (long[] r : ranges) {
            Preconditions.checkArgument(r.length == 2, "a parameter range must be [from, to) (got: %s values)",
                    r.length);
            Preconditions.checkArgument(previousEnd <= r[0] && r[0] < r[1] && r[1] <= base.dimension(),
                    "parameter range must satisfy 0 <= from < to <= %s%s (got: [%s, %s))", base.dimension(),
                    ranges.length > 1 ? ", sorted and disjoint" : "", r[0], r[1]);
            previousEnd = r[1];
            d += r[1] - r[0];
        }
        this.base = base;
        this.ranges = ranges;
        this.dimension = d;
        this.requested = requested;
    }

    @Override
    public Optional<long[]> restriction() {
        return Optional.ofNullable(requested).map(long[]::clone);
    }

    @Override
    public long dimension() {
        return dimension;
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
        return gather(base.initialParameters(), Nd4j.create(base.dataType(), dimension));
    }

    /** The block [blockFrom, blockTo) of this surface's parameters, in the base's indices. */
    @Override
    public LossSurface restrictTo(long blockFrom, long blockTo) {
        Preconditions.checkArgument(0 <= blockFrom && blockFrom < blockTo && blockTo <= dimension(),
                "parameter range must satisfy 0 <= from < to <= %s (got: [%s, %s))", dimension(), blockFrom,
                blockTo);
        List<long[]> inBase = new ArrayList<>();
        long offset = 0;
        for (long[] r : ranges) {
            long length = r[1] - r[0];
            long from = Math.max(blockFrom, offset);
            long to = Math.min(blockTo, offset + length);
            if (from < to) {
                inBase.add(new long[] {r[0] + from - offset, r[0] + to - offset});
            }
            offset += length;
        }
        return new RestrictedSurface(base, inBase.toArray(long[][]::new), new long[] {blockFrom, blockTo});
    }

    @Override
    public Evaluator newEvaluator() {
        Evaluator inner = base.newEvaluator();
        boolean contiguous = ranges.length == 1;
        INDArray parameters = contiguous ? view(inner.parameters(), ranges[0])
                : gather(inner.parameters(), Nd4j.create(inner.parameters().dataType(), dimension));
        INDArray gradient = contiguous ? null : Nd4j.create(inner.parameters().dataType(), dimension);
        return new Evaluator() {
            @Override
            public INDArray parameters() {
                return parameters;
            }

            @Override
            public double lossAndGradient(int[] batch) {
                moveInner();
                return inner.lossAndGradient(batch);
            }

            @Override
            public INDArray gradient() {
                return contiguous ? view(inner.gradient(), ranges[0]) : gather(inner.gradient(), gradient);
            }

            @Override
            public double loss(int[] batch) {
                moveInner();
                return inner.loss(batch);
            }

            @Override
            public Optional<double[]> exampleLosses(int[] batch) {
                moveInner();
                return inner.exampleLosses(batch);
            }

            @Override
            public void close() {
                inner.close();
            }

            /** Several ranges: the chain moved a vector of their own, which goes into the base's parameters. */
            private void moveInner() {
                if (!contiguous) {
                    scatter(parameters, inner.parameters());
                }
            }
        };
    }

    /** Copies the ranges of a base-sized vector into {@code into} (this surface's size); returns it. */
    private INDArray gather(INDArray full, INDArray into) {
        long offset = 0;
        for (long[] r : ranges) {
            long length = r[1] - r[0];
            into.get(NDArrayIndex.interval(offset, offset + length)).assign(view(full, r));
            offset += length;
        }
        return into;
    }

    /** Copies this surface's vector into the ranges of a base-sized one. */
    private void scatter(INDArray restricted, INDArray full) {
        long offset = 0;
        for (long[] r : ranges) {
            long length = r[1] - r[0];
            view(full, r).assign(restricted.get(NDArrayIndex.interval(offset, offset + length)));
            offset += length;
        }
    }

    /** A view of [from, to) of a vector stored as [d] or [1, d]. */
    private static INDArray view(INDArray vector, long[] range) {
        INDArray flat = vector.rank() == 1 ? vector : vector.reshape(vector.length());
        return flat.get(NDArrayIndex.interval(range[0], range[1]));
    }
}
