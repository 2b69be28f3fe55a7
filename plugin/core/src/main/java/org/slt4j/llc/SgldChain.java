package org.slt4j.llc;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slt4j.surface.LossSurface;

/**
 * One SGLD chain around the centre of a surface. Runs on one thread with its own evaluators and random streams,
 * so its result depends only on the configuration, the surface and its seed.
 */
final class SgldChain {
    private final LossSurface surface;
    private final LlcConfig config;
    private final int index;
    private final long seed;
    private final double fullDataBaseline;
    private final double divergenceLimit;

    SgldChain(LossSurface surface, LlcConfig config, int index, double fullDataBaseline) {
        this.surface = surface;
        this.config = config;
        this.index = index;
        this.seed = chainSeed(config.seed(), index);
        this.fullDataBaseline = fullDataBaseline;
        // Beyond this the chain has left the basin of w* (or overflowed): its draws no longer sample the localized
        // posterior around w* that the LLC estimator of Lau et al. 2023 averages over.
        this.divergenceLimit = fullDataBaseline + 100 * Math.abs(fullDataBaseline) + 100 / config.nBeta();
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

    /** A finished chain: its public result and its per-draw contributions (kept for R-hat). */
    record Outcome(ChainResult result, double[] contributions) {
    }

    Outcome run() {
        int draws = config.draws();
        double[] losses = new double[draws];
        double[] baselines = new double[draws];
        int recorded = 0;
        long step = 0;
        String divergence = null;
        boolean paired = config.baseline() == Baseline.PAIRED;
        BatchSampler batches = new BatchSampler(surface.dataSize(), config.batchSize(), new SplittableRandom(seed));
        try (LossSurface.Evaluator chain = surface.newEvaluator();
                LossSurface.Evaluator centre = paired && !batches.isFullBatch() ? surface.newEvaluator() : null;
                GaussianNoise noise = new GaussianNoise(seed ^ 0x5DEECE66DL, surface.dataType(),
                        chain.parameters().shape(), GaussianNoise.worthPrefetching(surface.dimension(),
                                Math.min(config.threads(), config.chains())))) {
            INDArray w = chain.parameters();
            INDArray wStar = surface.initialParameters().reshape(w.shape());
            Sampler.Update update = config.sampler().newUpdate(config, wStar);
            long total = config.stepsPerChain();
            for (; step < total; step++) {
                int[] batch = batches.next();
                double loss = chain.lossAndGradient(batch);
                if (!(loss <= divergenceLimit)) {
                    divergence = String.format("loss %s at step %d exceeded the divergence limit %s", loss, step,
                            divergenceLimit);
                    break;
                }
                if (step >= config.burnInSteps() && (step - config.burnInSteps()) % config.stepsBetweenDraws() == 0) {
                    losses[recorded] = loss;
                    baselines[recorded] = centre != null ? centre.loss(batch) : fullDataBaseline;
                    recorded++;
                }
                update.apply(w, chain.gradient(), noise.next(), step < config.burnInSteps());
            }
        }
        return summarize(losses, baselines, recorded, step, divergence);
    }

    private Outcome summarize(double[] losses, double[] baselines, int recorded, long steps, String divergence) {
        double[] contributions = new double[recorded];
        double meanLoss = 0;
        double meanBaseline = 0;
        int below = 0;
        for (int i = 0; i < recorded; i++) {
            contributions[i] = config.nBeta() * (losses[i] - baselines[i]);
            meanLoss += losses[i];
            meanBaseline += baselines[i];
            if (losses[i] < baselines[i]) {
                below++;
            }
        }
        double llc = Double.NaN;
        if (recorded > 0) {
            meanLoss /= recorded;
            meanBaseline /= recorded;
            llc = Arrays.stream(contributions).average().orElse(Double.NaN);
        } else {
            meanLoss = Double.NaN;
            meanBaseline = Double.NaN;
        }
        double ess = McmcDiagnostics.effectiveSampleSize(contributions, recorded);
        boolean keep = config.keepTraces();
        ChainResult result = ChainResult.of(index, seed, llc, recorded, steps, meanLoss, meanBaseline,
                recorded > 0 ? (double) below / recorded : Double.NaN, ess, divergence,
                keep ? Arrays.copyOf(losses, recorded) : new double[0],
                keep ? Arrays.copyOf(baselines, recorded) : new double[0]);
        return new Outcome(result, contributions);
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
