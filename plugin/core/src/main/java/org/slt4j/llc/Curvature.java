package org.slt4j.llc;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slt4j.surface.LossSurface;

/**
 * The largest curvature of a surface at its centre: the top eigenvalue (in magnitude) of the Hessian of the mean
 * loss, by power iteration on Hessian-vector products, each a central difference of two gradients on a fixed
 * probe batch. It sets the scale of the step size: SGLD on a direction of curvature h is stable for eps (nBeta h +
 * gamma) &lt; 4 and biased up by about eps (nBeta h + gamma) / 4.
 */
final class Curvature {
    /** Examples in the probe batch. */
    static final int PROBE_EXAMPLES = 1024;
    private static final int ITERATIONS = 20;

    private Curvature() {
    }

    /** The top Hessian eigenvalue magnitude at the centre; 0 when the loss is flat to the probe's resolution. */
    static double top(LossSurface surface, long seed) {
        int n = surface.dataSize();
        int size = Math.min(n, PROBE_EXAMPLES);
        int[] batch = probeBatch(n, size, seed);
        try (LossSurface.Evaluator evaluator = surface.newEvaluator()) {
            INDArray w = evaluator.parameters();
            INDArray centre = w.dup();
            double scale = Math.max(1e-3, centre.norm2Number().doubleValue() / Math.sqrt(centre.length()));
            double h = 1e-4 * scale;
            SplittableRandom random = new SplittableRandom(seed);
            INDArray v = Nd4j.create(centre.dataType(), centre.shape());
            for (long i = 0; i < v.length(); i++) {
                v.putScalar(i, random.nextGaussian());
            }
            double eigenvalue = 0;
            for (int it = 0; it < ITERATIONS; it++) {
                double norm = v.norm2Number().doubleValue();
                if (!(norm > 0) || !Double.isFinite(norm)) {
                    return eigenvalue;
                }
                v.divi(norm);
                w.assign(centre).addi(v.mul(h));
                evaluator.lossAndGradient(batch);
                INDArray plus = evaluator.gradient().dup();
                w.assign(centre).subi(v.mul(h));
                evaluator.lossAndGradient(batch);
                INDArray hv = plus.subi(evaluator.gradient()).divi(2 * h).reshape(v.shape());
                eigenvalue = Math.abs(hv.mul(v).sumNumber().doubleValue());
                v = hv;
            }
            w.assign(centre);
            return Double.isFinite(eigenvalue) ? eigenvalue : 0;
        }
    }

    private static int[] probeBatch(int n, int size, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, size);
    }
}
