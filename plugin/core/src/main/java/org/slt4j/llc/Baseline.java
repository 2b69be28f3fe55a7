package org.slt4j.llc;

/** How the loss at the centre w*, subtracted from the sampled losses, is measured. */
public enum Baseline {
    /**
     * For every draw, the loss at w* on the same minibatch as the draw; the estimate averages the differences.
     * Removes most minibatch noise from the estimate. The default. It costs one extra forward pass per draw, or,
     * where the surface gives per-example losses (stacks of dense layers), one per example the first time it is
     * drawn: each chain keeps each example's loss at w*, and the sums are the same to the bit.
     */
    PAIRED,
    /**
     * One number: the mean loss at w* over the whole estimation data, computed once before sampling. Cheaper
     * per draw, noisier with small minibatches.
     */
    INIT
}
