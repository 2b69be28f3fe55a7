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
    private final long seed;
    private final double fullDataBaseline;
    private final double divergenceLimit;
    private final BatchSampler batches;
    private final LossSurface.Evaluator chain;
    private final LossSurface.Evaluator centre;
    /**
     * The PAIRED baseline's loss at the centre per example, each computed the first time its example is drawn (NaN
     * until then), where the surface gives per-example losses ({@link LossSurface.Evaluator#exampleLosses}); null
     * where it does not (then the centre's forward pass runs on every minibatch).
     */
    private double[] centreLosses;
    private int[] missing;
    private final GaussianNoise noise;
    private final Sampler.Update update;
    private final ChainProgress progress;
    private final int dataSize;

    /**
     * A chain at the centre, before its first step.
     *
     * @param config a configuration whose step size and localization are set
     */
    SgldChain(LossSurface surface, LlcConfig config, int index, double fullDataBaseline) {
        this.config = config;
        this.progress = new ChainProgress(config, index);
        this.seed = progress.seed();
        this.dataSize = surface.dataSize();
        this.fullDataBaseline = fullDataBaseline;
        // Beyond this the chain has left the basin of w* (or overflowed): its draws no longer sample the localized
        // posterior around w* that the LLC estimator of Lau et al. 2023 averages over.
        this.divergenceLimit = fullDataBaseline + 100 * Math.abs(fullDataBaseline) + 100 / config.nBeta();
        this.batches = new BatchSampler(surface.dataSize(), config.batchSize(), new SplittableRandom(seed));
        this.chain = surface.newEvaluator();
        this.centre = config.baseline() == Baseline.PAIRED && !batches.isFullBatch() ? surface.newEvaluator() : null;
        if (centre != null) {
            centreLosses = new double[dataSize];
            Arrays.fill(centreLosses, Double.NaN);
            missing = new int[config.batchSize()];
        }
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
     * {@link ChainProgress#burnInTrace()} (with the PAIRED baseline the centre's loss on each batch: a forward pass
     * per step, or per example drawn for the first time where the surface gives per-example losses).
     */
    void burnIn(long steps, boolean trace) {
        for (long i = 0; i < steps && !progress.diverged(); i++) {
            int[] batch = batches.next();
            double loss = chain.lossAndGradient(batch);
            if (diverged(loss)) {
                return;
            }
            double contribution = trace ? config.nBeta() * (loss - baseline(batch)) : Double.NaN;
            update.apply(chain.parameters(), chain.gradient(), noise.next(), true);
            progress.burnInStep(contribution);
        }
    }

    /** Records the given number of draws, one every {@link LlcConfig#stepsBetweenDraws()} steps. */
    void draw(int draws) {
        int thinning = config.stepsBetweenDraws();
        for (long i = 0; i < (long) draws * thinning && !progress.diverged(); i++) {
            int[] batch = batches.next();
            double loss = chain.lossAndGradient(batch);
            if (diverged(loss)) {
                return;
            }
            boolean recorded = i % thinning == 0;
            double baseline = recorded ? baseline(batch) : Double.NaN;
            update.apply(chain.parameters(), chain.gradient(), noise.next(), false);
            progress.drawStep(recorded ? loss : Double.NaN, baseline);
        }
    }

    private double baseline(int[] batch) {
        if (centre == null) {
            return fullDataBaseline;
        }
        if (centreLosses == null) {
            return centre.loss(batch);
        }
        // The same sum, in the same order, as the surface's mean loss over the batch; redone below if an example's
        // loss was missing (NaN until its first draw).
        double sum = 0;
        int count = 0;
        for (int example : batch) {
            double loss = centreLosses[example];
            sum += loss;
            if (Double.isNaN(loss)) {
                missing[count++] = example;
            }
        }
        if (count > 0) {
            int[] examples = Arrays.copyOf(missing, count);
            double[] losses = centre.exampleLosses(examples).orElse(null);
            if (losses == null) {
                centreLosses = null;
                return centre.loss(batch);
            }
            for (int k = 0; k < count; k++) {
                centreLosses[examples[k]] = losses[k];
            }
            sum = 0;
            for (int example : batch) {
                sum += centreLosses[example];
            }
        }
        return sum / batch.length;
    }

    private boolean diverged(double loss) {
        if (loss <= divergenceLimit) {
            return false;
        }
        progress.diverge(String.format("loss %s at step %d exceeded the divergence limit %s", loss,
                progress.steps(), divergenceLimit));
        return true;
    }

    /** What the chain has recorded so far (live: later segments add to it). */
    ChainProgress progress() {
        return progress;
    }

    /**
     * Records in the progress the top Hessian eigenvalue of the mean loss where the chain is now
     * ({@link Curvature#at}, on the estimate's probe batch); the chain's position and random streams are left as
     * they were (about 40 gradient evaluations).
     */
    void measureCurvature() {
        progress.curvature(Curvature.at(chain, Curvature.probeBatch(dataSize, config.seed()), seed));
    }

    @Override
    public void close() {
        try (LossSurface.Evaluator a = chain; LossSurface.Evaluator b = centre; GaussianNoise c = noise) {
            // closes all three, in reverse order
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
