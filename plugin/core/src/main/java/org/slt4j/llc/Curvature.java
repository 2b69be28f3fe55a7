package org.slt4j.llc;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slt4j.surface.LossSurface;

/**
 * The largest curvature of a surface at its centre or where a chain is: the top eigenvalue (in magnitude) of the
 * Hessian of the mean loss, by power iteration on Hessian-vector products, each a central difference of two
 * gradients on a fixed probe batch. It sets the scale of the step size: SGLD on a direction of curvature h is
 * stable for eps (nBeta h + gamma) &lt; 4 and biased up by about eps (nBeta h + gamma) / 4.
 */
final class Curvature {
    /** Examples in the probe batch. */
    static final int PROBE_EXAMPLES = 1024;
    private static final int ITERATIONS = 20;

    private Curvature() {
    }

    /** The top Hessian eigenvalue magnitude at the centre; 0 when the loss is flat to the probe's resolution. */
    static double top(LossSurface surface, long seed) {
        try (LossSurface.Evaluator evaluator = surface.newEvaluator()) {
            return at(evaluator, probeBatch(surface.dataSize(), seed), seed);
        }
    }

    /**
     * The top Hessian eigenvalue magnitude at the evaluator's current parameters, which it leaves as they were (its
     * gradient is overwritten); 0 when the loss is flat to the probe's resolution.
     *
     * @param probe the examples of the probe batch ({@link #probeBatch})
     */
    static double at(LossSurface.Evaluator evaluator, int[] probe, long seed) {
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
        try {
            for (int it = 0; it < ITERATIONS; it++) {
                double norm = v.norm2Number().doubleValue();
                if (!(norm > 0) || !Double.isFinite(norm)) {
                    return eigenvalue;
                }
                v.divi(norm);
                w.assign(centre).addi(v.mul(h));
                evaluator.lossAndGradient(probe);
                INDArray plus = evaluator.gradient().dup();
                w.assign(centre).subi(v.mul(h));
                evaluator.lossAndGradient(probe);
                INDArray hv = plus.subi(evaluator.gradient()).divi(2 * h).reshape(v.shape());
                eigenvalue = Math.abs(hv.mul(v).sumNumber().doubleValue());
                v = hv;
            }
            return Double.isFinite(eigenvalue) ? eigenvalue : 0;
        } finally {
            w.assign(centre);
        }
    }

    /** A probe batch of min(n, {@value #PROBE_EXAMPLES}) distinct examples, drawn with the seed. */
    static int[] probeBatch(int n, long seed) {
        int size = Math.min(n, PROBE_EXAMPLES);
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
