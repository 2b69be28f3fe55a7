package org.slt4j.llc;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slt4j.surface.LossSurface;

/**
 * One SGLD chain around the centre of a surface, run in segments ({@link #burnIn}, {@link #draw}) so that the estimator can
 * decide between segments how long burn-in and draws last. Holds its own evaluators and random streams, so its
 * result depends only on the configuration, the surface, its seed and the segment lengths' total; not on how the
 * steps were split into segments or on which thread ran them. Not thread-safe: one thread at a time.
 */
final class SgldChain implements AutoCloseable {
    private final LlcConfig config;
    private final int index;
    private final long seed;
    private final double fullDataBaseline;
    private final double divergenceLimit;
    private final BatchSampler batches;
    private final LossSurface.Evaluator chain;
    private final LossSurface.Evaluator centre;
    private final GaussianNoise noise;
    private final Sampler.Update update;
    private final Trace burnIn = new Trace();
    private final Trace losses = new Trace();
    private final Trace baselines = new Trace();
    private long step;
    private long burnInSteps;
    private String divergence;

    /**
     * A chain at the centre, before its first step.
     *
     * @param config a configuration whose step size and localization are set
     */
    SgldChain(LossSurface surface, LlcConfig config, int index, double fullDataBaseline) {
        this.config = config;
        this.index = index;
        this.seed = chainSeed(config.seed(), index);
        this.fullDataBaseline = fullDataBaseline;
        // Beyond this the chain has left the basin of w* (or overflowed): its draws no longer sample the localized
        // posterior around w* that the LLC estimator of Lau et al. 2023 averages over.
        this.divergenceLimit = fullDataBaseline + 100 * Math.abs(fullDataBaseline) + 100 / config.nBeta();
        this.batches = new BatchSampler(surface.dataSize(), config.batchSize(), new SplittableRandom(seed));
        this.chain = surface.newEvaluator();
        this.centre = config.baseline() == Baseline.PAIRED && !batches.isFullBatch() ? surface.newEvaluator() : null;
        this.noise = new GaussianNoise(seed ^ 0x5DEECE66DL, surface.dataType(), chain.parameters().shape(),
                GaussianNoise.worthPrefetching(surface.dimension(), Math.min(config.threads(), config.chains())));
        INDArray w = chain.parameters();
        this.update = config.sampler().newUpdate(config, surface.initialParameters().reshape(w.shape()));
    }

    /** Seeds of different chains are decorrelated by SplittableRandom's mixing of (seed, index). */
    static long chainSeed(long seed, int index) {
        SplittableRandom root = new SplittableRandom(seed);
        long s = root.nextLong();
        for (int i = 0; i < index; i++) {
            s = root.nextLong();
        }
        return s;
    }

    /**
     * Runs burn-in steps. With {@code trace}, each step's contribution nBeta (L_B(w_t) - baseline) is kept for
     * {@link #burnInTrace()} (one more forward pass per step with the PAIRED baseline).
     */
    void burnIn(long steps, boolean trace) {
        for (long i = 0; i < steps && divergence == null; i++) {
            int[] batch = batches.next();
            double loss = chain.lossAndGradient(batch);
            if (diverged(loss)) {
                return;
            }
            if (trace) {
                burnIn.add(config.nBeta() * (loss - baseline(batch)));
            }
            update.apply(chain.parameters(), chain.gradient(), noise.next(), true);
            step++;
            burnInSteps++;
        }
    }

    /** Records the given number of draws, one every {@link LlcConfig#stepsBetweenDraws()} steps. */
    void draw(int draws) {
        int thinning = config.stepsBetweenDraws();
        for (long i = 0; i < (long) draws * thinning && divergence == null; i++) {
            int[] batch = batches.next();
            double loss = chain.lossAndGradient(batch);
            if (diverged(loss)) {
                return;
            }
            if (i % thinning == 0) {
                losses.add(loss);
                baselines.add(baseline(batch));
            }
            update.apply(chain.parameters(), chain.gradient(), noise.next(), false);
            step++;
        }
    }

    private double baseline(int[] batch) {
        return centre != null ? centre.loss(batch) : fullDataBaseline;
    }

    private boolean diverged(double loss) {
        if (loss <= divergenceLimit) {
            return false;
        }
        divergence = String.format("loss %s at step %d exceeded the divergence limit %s", loss, step,
                divergenceLimit);
        return true;
    }

    /** Whether the chain has diverged; a diverged chain takes no more steps. */
    boolean diverged() {
        return divergence != null;
    }

    /** SGLD steps taken so far. */
    long steps() {
        return step;
    }

    /**
     * The top Hessian eigenvalue of the mean loss where the chain is now ({@link Curvature#at}); the chain's
     * position and random streams are left as they were.
     */
    double curvature(int[] probe) {
        return Curvature.at(chain, probe, seed);
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

    /** The chain's result so far, reported under the given (resolved) configuration. */
    ChainResult result() {
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
        double ess = McmcDiagnostics.effectiveSampleSize(contributions, recorded);
        boolean keep = config.keepTraces();
        return ChainResult.of(index, seed, llc, recorded, step, meanLoss, meanBaseline,
                recorded > 0 ? (double) below / recorded : Double.NaN, ess, divergence,
                keep ? loss : new double[0], keep ? baseline : new double[0]);
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
        burnInSteps += (long) removed * config.stepsBetweenDraws();
    }

    /** Steps spent in burn-in. */
    long burnInSteps() {
        return burnInSteps;
    }

    @Override
    public void close() {
        try (LossSurface.Evaluator a = chain; LossSurface.Evaluator b = centre; GaussianNoise c = noise) {
            // closes all three, in reverse order
        }
    }

    /** A growing array of doubles. */
    private static final class Trace {
        private double[] values = new double[256];
        private int size;

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

    /**
     * Minibatches drawn without replacement within an epoch (a fresh permutation per epoch), or always the
     * whole data set when the batch size covers it.
     */
    static final class BatchSampler {
        private final int[] permutation;
        private final int batchSize;
        private final SplittableRandom random;
        private int position;

        BatchSampler(int dataSize, int batchSize, SplittableRandom random) {
            this.permutation = new int[dataSize];
            for (int i = 0; i < dataSize; i++) {
                permutation[i] = i;
            }
            this.batchSize = Math.min(batchSize, dataSize);
            this.random = random;
            this.position = dataSize;
        }

        boolean isFullBatch() {
            return batchSize == permutation.length;
        }

        int[] next() {
            if (isFullBatch()) {
                return permutation;
            }
            if (position + batchSize > permutation.length) {
                for (int i = permutation.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = permutation[i];
                    permutation[i] = permutation[j];
                    permutation[j] = t;
                }
                position = 0;
            }
            int[] batch = Arrays.copyOfRange(permutation, position, position + batchSize);
            position += batchSize;
            return batch;
        }
    }
}
