package org.slt4j.llc;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What one SGLD chain has recorded so far: its traced burn-in, its draws, its step counts and whether it diverged.
 * The estimator decides its rounds (burn-in length, more draws) from the progress of all its chains and pools them
 * into the estimate. A chain run elsewhere ({@link ChainPlan#run}) hands its progress back in this form; it is
 * serializable for that and holds no arrays of the model. Not thread-safe.
 */
public final class ChainProgress implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LlcConfig config;
    private final int index;
    private final long seed;
    private final Trace burnIn = new Trace();
    private final Trace losses = new Trace();
    private final Trace baselines = new Trace();
    private long step;
    private long burnInSteps;
    private String divergence;
    private double curvature = Double.NaN;
    /**
     * The effective sample size of the draws recorded so far, kept while no draw is recorded or discarded: each round
     * of draws asks for it, and then the result and the estimate's standard error (not serialized: recomputed).
     */
    private transient double effectiveSampleSize;
    private transient boolean effectiveSampleSizeCurrent;

    /** A chain's progress before its first step. */
    ChainProgress(LlcConfig config, int index) {
        this.config = config;
        this.index = index;
        this.seed = SgldChain.chainSeed(config.seed(), index);
    }

    /** The chain's index in its estimate, 0-based. */
    public int index() {
        return index;
    }

    /** The chain's result so far, reported under its configuration. */
    public ChainResult result() {
        double[] loss = losses.toArray();
        double[] baseline = baselines.toArray();
        double[] contributions = contributions();
        int recorded = loss.length;
        double meanLoss = Double.NaN;
        double meanBaseline = Double.NaN;
        double llc = Double.NaN;
        int below = 0;
        if (recorded > 0) {
            meanLoss = Arrays.stream(loss).average().orElseThrow();
            meanBaseline = Arrays.stream(baseline).average().orElseThrow();
            llc = Arrays.stream(contributions).average().orElseThrow();
            for (int i = 0; i < recorded; i++) {
                if (loss[i] < baseline[i]) {
                    below++;
                }
            }
        }
        double ess = effectiveSampleSize();
        boolean keep = config.keepTraces();
        return ChainResult.of(index, seed, llc, recorded, step, meanLoss, meanBaseline,
                recorded > 0 ? (double) below / recorded : Double.NaN, ess, divergence,
                keep ? loss : new double[0], keep ? baseline : new double[0]);
    }

    long seed() {
        return seed;
    }

    /** A burn-in step; {@code contribution} is NaN when the burn-in is not traced. */
    void burnInStep(double contribution) {
        if (!Double.isNaN(contribution)) {
            burnIn.add(contribution);
        }
        step++;
        burnInSteps++;
    }

    /** A draw step; records the draw unless {@code loss} is NaN (a thinned-out step). */
    void drawStep(double loss, double baseline) {
        if (!Double.isNaN(loss)) {
            losses.add(loss);
            baselines.add(baseline);
            effectiveSampleSizeCurrent = false;
        }
        step++;
    }

    void diverge(String why) {
        divergence = why;
    }

    /** Whether the chain has diverged; a diverged chain takes no more steps. */
    boolean diverged() {
        return divergence != null;
    }

    /** SGLD steps taken so far. */
    long steps() {
        return step;
    }

    /** The contributions recorded during traced burn-in, in order. */
    double[] burnInTrace() {
        return burnIn.toArray();
    }

    /** The per-draw contributions nBeta (L_B(w_t) - baseline) recorded so far. */
    double[] contributions() {
        double[] loss = losses.toArray();
        double[] baseline = baselines.toArray();
        double[] contributions = new double[loss.length];
        for (int i = 0; i < loss.length; i++) {
            contributions[i] = config.nBeta() * (loss[i] - baseline[i]);
        }
        return contributions;
    }

    /** The effective sample size of the draws recorded so far ({@link McmcDiagnostics#effectiveSampleSize}). */
    double effectiveSampleSize() {
        if (!effectiveSampleSizeCurrent) {
            effectiveSampleSize = McmcDiagnostics.effectiveSampleSize(contributions(), draws());
            effectiveSampleSizeCurrent = true;
        }
        return effectiveSampleSize;
    }

    /** Draws recorded so far. */
    int draws() {
        return losses.size;
    }

    /**
     * Turns the first {@code count} recorded draws into burn-in: the chain is then exactly the one a burn-in that
     * much longer and that many fewer draws would have run (for a sampler that does not adapt during burn-in).
     */
    void discardFirstDraws(int count) {
        int removed = Math.min(count, losses.size);
        losses.removeFirst(removed);
        baselines.removeFirst(removed);
        effectiveSampleSizeCurrent = false;
        burnInSteps += (long) removed * config.stepsBetweenDraws();
    }

    /**
     * The top Hessian eigenvalue of the loss where the chain ended its draws, once measured for the estimate's
     * step load; NaN before that, or for a preconditioned sampler.
     */
    double curvature() {
        return curvature;
    }

    void curvature(double value) {
        curvature = value;
    }

    /** Steps spent in burn-in. */
    long burnInSteps() {
        return burnInSteps;
    }

    /** A growing array of doubles; serialized without its spare capacity. */
    private static final class Trace implements Serializable {
        private static final long serialVersionUID = 1L;
        private transient double[] values = new double[256];
        private int size;

        private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
            out.defaultWriteObject();
            for (int i = 0; i < size; i++) {
                out.writeDouble(values[i]);
            }
        }

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            values = new double[Math.max(256, size)];
            for (int i = 0; i < size; i++) {
                values[i] = in.readDouble();
            }
        }

        void add(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
            }
            values[size++] = value;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }

        void removeFirst(int count) {
            System.arraycopy(values, count, values, 0, size - count);
            size -= count;
        }
    }
}
