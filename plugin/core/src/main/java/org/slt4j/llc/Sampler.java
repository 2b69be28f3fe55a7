package org.slt4j.llc;

import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The Langevin update rule a chain uses. */
public enum Sampler {
    /**
     * Plain SGLD (the Euler-Maruyama step of Langevin dynamics, as in devinterp): w &lt;- w - (eps/2) [nBeta g +
     * gamma (w - w*) + wd w] + sqrt(eps) xi, with g the gradient of the mean minibatch loss and xi standard normal.
     * Its stationary distribution is biased by the step: a direction of curvature a (of the whole potential) is
     * sampled with variance 1 / (a (1 - eps a / 4)) instead of 1 / a, so an estimate comes out high by about a
     * quarter of the step's load eps a in its stiffest directions.
     */
    SGLD(0.5, "so the step-size bias there is above 14%") {
        @Override
        Update newUpdate(LlcConfig config, INDArray wStar) {
            return langevin(config, wStar, false);
        }
    },
    /**
     * SGLD with the noise of consecutive steps averaged, the scheme of Leimkuhler and Matthews (Rational construction
     * of stochastic numerical methods for molecular sampling, Appl. Math. Res. Express 2013; the high-friction limit
     * of their BAOAB integrator): w_{t+1} = w_t - (eps/2) [nBeta g + gamma (w - w*) + wd w] + sqrt(eps) (xi_t +
     * xi_{t+1}) / 2, with the first step's xi_0 = xi_1. It costs what plain SGLD costs (one more vector sum and
     * copy per step) and removes its step-size bias where the potential is quadratic: a direction of curvature a is
     * sampled with variance exactly 1 / a at any stable step (eps a &lt; 4), and elsewhere averages of the position
     * err by O(eps^2) instead of O(eps) (Leimkuhler, Matthews and Stoltz, IMA J. Numer. Anal. 2016). The default:
     * on the generated exact-value suite it took a reduced rank regression (2-8-2, lambda 2) from +3.2% to +0.5%
     * over 16 seeds (docs/accuracy.md).
     */
    LEIMKUHLER_MATTHEWS(2.0, "the bound is half the step's limit of stability (4), which chains that go on to "
            + "stiffer places may pass, and diverge") {
        @Override
        Update newUpdate(LlcConfig config, INDArray wStar) {
            return langevin(config, wStar, true);
        }
    },
    /**
     * RMSProp-preconditioned SGLD (Li et al. 2016; found the most faithful sampler on deep linear networks by
     * Hitchcock and Hoogland 2025): per-coordinate step eps_i = eps / (sqrt(v_i) + 1), where v is an
     * exponential moving average (decay 0.99) of the squared gradient of nBeta * L (the loss part of the
     * potential; the localization term does not enter v), initialised to 1. The noise of coordinate i has
     * variance eps_i. The +1 keeps eps_i &lt;= eps: stiff directions get smaller steps, flat ones (where v
     * vanishes) the plain SGLD step instead of an exploding one.
     *
     * <p>v adapts during burn-in only and is frozen for the recorded draws: a position-dependent preconditioner
     * without its correction term samples a biased distribution (measured here: +25% on a reduced rank
     * regression), a constant one samples the right one.
     */
    RMSPROP_SGLD(Double.NaN, "") {
        @Override
        Update newUpdate(LlcConfig config, INDArray wStar) {
            double eps = config.stepSize().orElseThrow();
            double gamma = config.localization().orElseThrow();
            double wd = config.weightDecay();
            double nBeta = config.nBeta();
            double alpha = 0.99;
            INDArray v = Nd4j.ones(wStar.dataType(), wStar.shape());
            INDArray step = Nd4j.createUninitialized(wStar.dataType(), wStar.shape());
            INDArray noiseScale = Nd4j.createUninitialized(wStar.dataType(), wStar.shape());
            INDArray force = Nd4j.createUninitialized(wStar.dataType(), wStar.shape());
            step.assign(eps / 2);
            Transforms.sqrt(noiseScale.assign(step), false);
            // Scalar factors go through BLAS scal, not muli, which wraps each factor in a fresh array (see SGLD).
            return (w, gradient, noise, adapting) -> {
                long d = w.length();
                Level1 blas = Nd4j.getBlasWrapper().level1();
                INDArray g = gradient.reshape(w.shape());
                if (adapting) {
                    // v <- alpha v + (1 - alpha) (nBeta g)^2 ; eps_i = eps / (sqrt(v_i) + 1)
                    blas.scal(d, nBeta * nBeta, force.assign(g).muli(g));
                    blas.scal(d, alpha, v);
                    blas.axpy(d, 1 - alpha, force, v);
                    step.assign(v);
                    Transforms.sqrt(step, false).addi(1).rdivi(eps);
                    Transforms.sqrt(noiseScale.assign(step), false);
                }
                // force = nBeta g + gamma (w - w*) + wd w
                force.assign(w).subi(wStar);
                if (gamma != 0) {
                    blas.scal(d, gamma, force);
                } else {
                    force.assign(0);
                }
                if (wd != 0) {
                    blas.axpy(d, wd, w, force);
                }
                blas.axpy(d, nBeta, g, force);
                blas.scal(d, 0.5, force.muli(step));
                w.subi(force);
                // noise with variance eps_i
                w.addi(force.assign(noiseScale).muli(noise));
            };
        }

        @Override
        public boolean preconditioned() {
            return true;
        }
    };

    private final double maxStepLoad;
    private final String stepLoadRisk;

    Sampler(double maxStepLoad, String stepLoadRisk) {
        this.maxStepLoad = maxStepLoad;
        this.stepLoadRisk = stepLoadRisk;
    }

    /** One chain's update state; not thread-safe. */
    abstract Update newUpdate(LlcConfig config, INDArray wStar);

    /**
     * Whether the sampler scales its steps per coordinate (adapting the scale during burn-in): then a step has no
     * single load, and draws cannot be turned into burn-in after the fact.
     */
    public boolean preconditioned() {
        return false;
    }

    /**
     * The most step-size load, eps (nBeta h + gamma + weightDecay) at the stiffest point the chains ended at, that
     * an estimate with this sampler is vouched for with (NaN for a preconditioned sampler, whose steps differ per
     * direction).
     */
    public double maxStepLoad() {
        return maxStepLoad;
    }

    /** Why a load above {@link #maxStepLoad()} is not vouched for, for the estimate's warning. */
    String stepLoadRisk() {
        return stepLoadRisk;
    }

    /**
     * The Langevin step of plain SGLD; with {@code averagedNoise}, the noise of each step is the mean of its own and
     * the previous step's standard normal vectors (see {@link #LEIMKUHLER_MATTHEWS}).
     */
    private static Update langevin(LlcConfig config, INDArray wStar, boolean averagedNoise) {
        double eps = config.stepSize().orElseThrow();
        double decay = 1 - eps / 2 * (config.localization().orElseThrow() + config.weightDecay());
        double pull = eps / 2 * config.localization().orElseThrow();
        double drift = -eps / 2 * config.nBeta();
        double noiseScale = averagedNoise ? Math.sqrt(eps) / 2 : Math.sqrt(eps);
        INDArray previous = averagedNoise ? Nd4j.createUninitialized(wStar.dataType(), wStar.shape()) : null;
        boolean[] started = {false};
        return (w, gradient, noise, adapting) -> {
            long d = w.length();
            Level1 blas = Nd4j.getBlasWrapper().level1();
            if (decay != 1) {
                // BLAS scal, not muli: muli wraps the factor in a fresh scalar array on every step, whose native
                // memory the garbage collector and ND4J's deallocator threads then free (on a 67-parameter network
                // that made a step 1.6x slower and kept a second core a fifth busy).
                blas.scal(d, decay, w);
            }
            if (pull != 0) {
                blas.axpy(d, pull, wStar, w);
            }
            blas.axpy(d, drift, gradient, w);
            blas.axpy(d, noiseScale, noise, w);
            if (previous != null) {
                // xi_0 = xi_1 on the first step, which is then plain SGLD's.
                blas.axpy(d, noiseScale, started[0] ? previous : noise, w);
                previous.assign(noise);
                started[0] = true;
            }
        };
    }

    /** Applies one Langevin step in place. */
    @FunctionalInterface
    interface Update {
        /**
         * @param w the chain's parameters, updated in place
         * @param gradient gradient of the mean minibatch loss at w
         * @param noise a standard normal vector of w's length
         * @param adapting whether the chain is in burn-in, where adaptive samplers may adapt
         */
        void apply(INDArray w, INDArray gradient, INDArray noise, boolean adapting);
    }
}
