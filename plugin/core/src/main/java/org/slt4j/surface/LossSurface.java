package org.slt4j.surface;

import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss over a flat parameter vector and an indexed data set: the object the LLC estimator samples.
 *
 * <p>The surface itself is immutable and thread-safe; all mutable state lives in {@link Evaluator}s, one per
 * thread (one per SGLD chain). The loss is the <em>mean</em> per-example loss over a minibatch, without any
 * regularization terms; gradients are gradients of that mean.
 */
public interface LossSurface {

    /** Number of parameters d (the length of the flat parameter vector). */
    long dimension();

    /**
     * Number of examples minibatches are drawn from. Minibatches are given to evaluators as example indices
     * in {@code [0, dataSize())}. A surface without data (an analytic potential) reports 1.
     */
    int dataSize();

    /** Floating point type of the parameters, gradients and losses computed by this surface. */
    DataType dataType();

    /** A fresh copy of the parameters w* the surface is centred on (the trained weights). */
    INDArray initialParameters();

    /** Creates an evaluator whose parameters start at {@link #initialParameters()}. */
    Evaluator newEvaluator();

    /**
     * The restriction of this surface to the parameters with indices in {@code [from, to)}: sampling it moves
     * only those (for instance one layer's weights, see {@link NetworkSurfaces#layerRange}) and holds the others
     * at the centre. Its LLC is the restricted ("weight-refined") LLC of that parameter block.
     *
     * @throws IllegalArgumentException unless 0 &lt;= from &lt; to &lt;= dimension()
     */
    default LossSurface restrictTo(long from, long to) {
        return new RestrictedSurface(this, from, to);
    }

    /**
     * The block {@code [from, to)} this surface was made of by {@link #restrictTo(long, long)}, in the indices of
     * the surface that call was made on; empty for a surface made otherwise. It lets the same block be taken
     * elsewhere, of a surface built the same way ({@link org.slt4j.llc.ChainPlan}).
     */
    default Optional<long[]> restriction() {
        return Optional.empty();
    }

    /**
     * Mutable, single-threaded evaluation state (for a DL4J network: a private copy of the network).
     * Not thread-safe; use one per thread.
     */
    interface Evaluator extends AutoCloseable {

        /**
         * The live parameter vector, a row vector of length {@link LossSurface#dimension()}. Writes to it move
         * the point at which the loss is evaluated.
         */
        INDArray parameters();

        /**
         * Computes the mean loss over the given examples at the current parameters, and its gradient, which
         * {@link #gradient()} returns until the next call.
         *
         * @param batch example indices in {@code [0, dataSize())}; not modified
         * @return the mean loss (NaN or infinite if the computation overflowed)
         */
        double lossAndGradient(int[] batch);

        /**
         * The gradient of the mean loss computed by the last {@link #lossAndGradient(int[])} call. A view
         * owned by the evaluator: read it before the next call, never keep it.
         */
        INDArray gradient();

        /** Mean loss over the given examples at the current parameters (forward pass only). */
        double loss(int[] batch);

        /**
         * Each given example's loss at the current parameters ({@code losses[r]} for {@code batch[r]}), where an
         * example's loss depends on that example alone and {@link #loss(int[])} is their mean, summed in the
         * batch's order (a stack of dense layers); empty where it is not (batch statistics, as in batch
         * normalization's training mode) or not known to be. The PAIRED baseline then computes the loss at the
         * centre once per example instead of once per step. The default is empty.
         *
         * @param batch example indices in {@code [0, dataSize())}; not modified
         */
        default Optional<double[]> exampleLosses(int[] batch) {
            return Optional.empty();
        }

        /** Releases resources held by the evaluator. The default does nothing. */
        @Override
        default void close() {
        }
    }
}
