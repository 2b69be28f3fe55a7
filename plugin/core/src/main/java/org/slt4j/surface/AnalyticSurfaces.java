package org.slt4j.surface;

import com.google.common.base.Preconditions;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loss surfaces given by closed-form potentials K(w) without data, centred at w* = 0 with K(0) = 0. Their
 * learning coefficients are known exactly (Watanabe 2009, "Algebraic Geometry and Statistical Learning Theory"; the
 * values are in {@link org.slt4j.testkit.ExactValues}), which makes them the reference tests of the
 * sampler. With n*beta = t and no localization, the estimator's target is E_t[t K], the finite-temperature
 * learning coefficient.
 */
public final class AnalyticSurfaces {

    private AnalyticSurfaces() {
    }

    /** A potential with its gradient, evaluated in double precision. */
    @FunctionalInterface
    public interface Potential {
        /**
         * Returns K(w) and writes dK/dw into {@code gradient}.
         *
         * @param w the point, not to be modified
         * @param gradient output, same length as w
         */
        double valueAndGradient(double[] w, double[] gradient);
    }

    /**
     * A surface for an arbitrary potential in {@code dimension} variables, centred at w* = 0.
     *
     * @throws IllegalArgumentException if dimension &lt; 1
     */
    public static LossSurface of(int dimension, Potential potential) {
        Preconditions.checkArgument(dimension >= 1, "dimension must be >= 1 (got: %s)", dimension);
        Objects.requireNonNull(potential, "potential");
        return new PotentialSurface(dimension, potential);
    }

    /**
     * The quadratic K(w) = 1/2 sum_i h_i w_i^2. Zero curvatures are exactly flat directions.
     *
     * @throws IllegalArgumentException if no curvature is given or one is negative or not finite
     */
    public static LossSurface quadratic(double... curvatures) {
        Preconditions.checkArgument(curvatures.length > 0, "curvatures must not be empty");
        for (double h : curvatures) {
            Preconditions.checkArgument(Double.isFinite(h) && h >= 0,
                    "curvatures must be finite and >= 0 (got: %s)", h);
        }
        double[] h = curvatures.clone();
        return of(h.length, (w, g) -> {
            double value = 0;
            for (int i = 0; i < w.length; i++) {
                g[i] = h[i] * w[i];
                value += 0.5 * h[i] * w[i] * w[i];
            }
            return value;
        });
    }

    /**
     * The one-dimensional K(w) = w^(2k) on the real line, whose learning coefficient 1/(2k) is exact at every
     * temperature: E_t[t K] = 1/(2k).
     *
     * @throws IllegalArgumentException if k &lt; 1
     */
    public static LossSurface monomial(int k) {
        Preconditions.checkArgument(k >= 1, "k must be >= 1 (got: %s)", k);
        return of(1, (w, g) -> {
            double p = Math.pow(w[0], 2 * k - 1);
            g[0] = 2 * k * p;
            return p * w[0];
        });
    }

    /**
     * The normal crossing K(x, y) = x^(2a) y^(2b) with a uniform prior on the box [-1, 1]^2. The box is
     * enforced by reflection: the sampler moves freely in R^2 and the potential is evaluated at the point
     * folded back into the box, which has exactly the reflected-diffusion's stationary distribution.
     *
     * @throws IllegalArgumentException if a &lt; 1 or b &lt; 1
     */
    public static LossSurface normalCrossing(int a, int b) {
        Preconditions.checkArgument(a >= 1, "a must be >= 1 (got: %s)", a);
        Preconditions.checkArgument(b >= 1, "b must be >= 1 (got: %s)", b);
        return of(2, (w, g) -> {
            double x = fold(w[0]);
            double y = fold(w[1]);
            double xa = Math.pow(x, 2 * a);
            double yb = Math.pow(y, 2 * b);
            g[0] = 2 * a * Math.pow(x, 2 * a - 1) * yb * foldSlope(w[0]);
            g[1] = 2 * b * Math.pow(y, 2 * b - 1) * xa * foldSlope(w[1]);
            return xa * yb;
        });
    }

    /** Folds the real line onto [-1, 1] by repeated reflection at the ends (a triangle wave of period 4). */
    static double fold(double z) {
        double m = ((z + 1) % 4 + 4) % 4;
        return m <= 2 ? m - 1 : 3 - m;
    }

    private static double foldSlope(double z) {
        double m = ((z + 1) % 4 + 4) % 4;
        return m <= 2 ? 1 : -1;
    }

    private static final class PotentialSurface implements LossSurface {
        private final int dimension;
        private final Potential potential;

        PotentialSurface(int dimension, Potential potential) {
            this.dimension = dimension;
            this.potential = potential;
        }

        @Override
        public long dimension() {
            return dimension;
        }

        @Override
        public int dataSize() {
            return 1;
        }

        @Override
        public DataType dataType() {
            return DataType.DOUBLE;
        }

        @Override
        public INDArray initialParameters() {
            return Nd4j.zeros(DataType.DOUBLE, 1, dimension);
        }

        @Override
        public Evaluator newEvaluator() {
            return new Evaluator() {
                private final INDArray params = initialParameters();
                private final INDArray gradient = Nd4j.zeros(DataType.DOUBLE, 1, dimension);
                private final double[] w = new double[dimension];
                private final double[] g = new double[dimension];

                @Override
                public INDArray parameters() {
                    return params;
                }

                @Override
                public double lossAndGradient(int[] batch) {
                    readParams();
                    double value = potential.valueAndGradient(w, g);
                    for (int i = 0; i < dimension; i++) {
                        gradient.putScalar(i, g[i]);
                    }
                    return value;
                }

                @Override
                public INDArray gradient() {
                    return gradient;
                }

                @Override
                public double loss(int[] batch) {
                    readParams();
                    return potential.valueAndGradient(w, g);
                }

                private void readParams() {
                    for (int i = 0; i < dimension; i++) {
                        w[i] = params.getDouble(i);
                    }
                }
            };
        }
    }
}
