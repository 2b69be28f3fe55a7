package org.slt4j.llc;

/** How the loss at the centre w*, subtracted from the sampled losses, is measured. */
public enum Baseline {
    /**
     * For every draw, the loss at w* on the same minibatch as the draw; the estimate averages the differences.
     * One extra forward pass per draw; removes most minibatch noise from the estimate. The default.
     */
    PAIRED,
    /**
     * One number: the mean loss at w* over the whole estimation data, computed once before sampling. Cheaper
     * per draw, noisier with small minibatches.
     */
    INIT
}
