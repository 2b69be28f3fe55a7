package org.slt4j.ui;

import com.google.common.base.Preconditions;

/**
 * TensorBoard's loss smoothing: an exponential moving average with weight {@code w}, debiased by dividing by
 * {@code 1 - w^k} after k finite points, so the start of the curve is not pulled towards zero. Non-finite values
 * pass through unchanged and do not enter the average.
 */
final class LossSmoothing {
    private LossSmoothing() {
    }

    /**
     * The smoothed values.
     *
     * @param values the loss in iteration order
     * @param weight the EMA weight, in [0, 1); 0 returns the values unchanged
     * @throws IllegalArgumentException if the weight is outside [0, 1)
     */
    static double[] debiasedEma(double[] values, double weight) {
        Preconditions.checkArgument(weight >= 0 && weight < 1, "smoothing must be in [0, 1) (got: %s)", weight);
        double[] smoothed = new double[values.length];
        double last = 0;
        int finite = 0;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) {
                smoothed[i] = v;
                continue;
            }
            last = last * weight + (1 - weight) * v;
            finite++;
            smoothed[i] = last / (1 - Math.pow(weight, finite));
        }
        return smoothed;
    }
}
