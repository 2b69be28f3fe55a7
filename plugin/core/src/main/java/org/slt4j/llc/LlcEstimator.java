package org.slt4j.llc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;

/**
 * Estimates the local learning coefficient at the centre of a loss surface with SGLD chains (see
 * {@link LlcConfig} for the update rule and every setting).
 *
 * <p>Chains run in parallel on {@link LlcConfig#threads()} threads, each with its own copy of the model and its
 * own random streams derived from the seed, so the result for a given configuration and data does not depend
 * on the thread count. Diverged chains are stopped, excluded and reported in the result, never thrown; the
 * result's {@link LlcEstimate#warnings()} say what to look at (they are logged at DEBUG only, since listeners
 * record them with every estimate).
 * Instances are immutable and thread-safe.
 */
public final class LlcEstimator {
    private static final Logger log = LoggerFactory.getLogger(LlcEstimator.class);
    private static final AtomicInteger POOL_COUNTER = new AtomicInteger();

    private final LlcConfig config;

    /** An estimator with the given configuration. */
    public LlcEstimator(LlcConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The configuration every estimate uses. */
    public LlcConfig config() {
        return config;
    }

    /**
     * Estimates the LLC of a MultiLayerNetwork at its current parameters on all examples of the iterator (reset
     * before and after). The network is not modified.
     *
     * @throws IllegalArgumentException if the network is not initialized, the data is empty or does not fit
     */
    public LlcEstimate estimate(MultiLayerNetwork network, DataSetIterator data) {
        return estimate(NetworkSurfaces.of(network, data));
    }

    /**
     * Estimates the LLC of a ComputationGraph at its current parameters on all examples of the iterator (reset
     * before and after). The graph is not modified.
     *
     * @throws IllegalArgumentException if the graph is not initialized, the data is empty or does not fit
     */
    public LlcEstimate estimate(ComputationGraph graph, MultiDataSetIterator data) {
        return estimate(NetworkSurfaces.of(graph, data));
    }

    /** Estimates the LLC at the centre of the given surface. */
    public LlcEstimate estimate(LossSurface surface) {
        Objects.requireNonNull(surface, "surface");
        long start = System.nanoTime();
        double baseline = fullDataLoss(surface, config.batchSize());
        List<SgldChain.Outcome> outcomes = runChains(surface, baseline);
        return summarize(surface, baseline, outcomes, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Mean loss at the centre over all examples, in chunks of the batch size. */
    static double fullDataLoss(LossSurface surface, int chunk) {
        int n = surface.dataSize();
        double sum = 0;
        try (LossSurface.Evaluator evaluator = surface.newEvaluator()) {
            for (int from = 0; from < n; from += chunk) {
                int size = Math.min(chunk, n - from);
                int[] batch = new int[size];
                for (int i = 0; i < size; i++) {
                    batch[i] = from + i;
                }
                sum += evaluator.loss(batch) * size;
            }
        }
        return sum / n;
    }

    private List<SgldChain.Outcome> runChains(LossSurface surface, double baseline) {
        List<SgldChain> chains = new ArrayList<>();
        for (int i = 0; i < config.chains(); i++) {
            chains.add(new SgldChain(surface, config, i, baseline));
        }
        int threads = Math.min(config.threads(), config.chains());
        List<SgldChain.Outcome> outcomes = new ArrayList<>();
        if (threads == 1) {
            for (SgldChain chain : chains) {
                outcomes.add(chain.run());
            }
            return outcomes;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
        try {
            List<Future<SgldChain.Outcome>> futures = new ArrayList<>();
            for (SgldChain chain : chains) {
                futures.add(pool.submit(chain::run));
            }
            for (Future<SgldChain.Outcome> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for SGLD chains", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("SGLD chain failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads() {
        int pool = POOL_COUNTER.incrementAndGet();
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, "slt4j-sgld-" + pool + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private LlcEstimate summarize(LossSurface surface, double baseline, List<SgldChain.Outcome> outcomes,
            Duration wallTime) {
        List<ChainResult> chains = new ArrayList<>();
        List<double[]> usedTraces = new ArrayList<>();
        double sum = 0;
        double sumSq = 0;
        double ess = 0;
        long draws = 0;
        double below = 0;
        for (SgldChain.Outcome outcome : outcomes) {
            ChainResult chain = outcome.result();
            chains.add(chain);
            if (!chain.diverged()) {
                usedTraces.add(outcome.contributions());
                sum += chain.llc();
                sumSq += chain.llc() * chain.llc();
                if (!Double.isNaN(chain.effectiveSampleSize())) {
                    ess += chain.effectiveSampleSize();
                }
                draws += chain.draws();
                below += chain.fractionBelowBaseline() * chain.draws();
            }
        }
        int used = usedTraces.size();
        double mean = used > 0 ? sum / used : Double.NaN;
        double std = used > 1 ? Math.sqrt(Math.max(0, (sumSq - used * mean * mean) / (used - 1))) : Double.NaN;
        double rHat = McmcDiagnostics.splitRHat(usedTraces.toArray(new double[0][]));
        double fractionBelow = draws > 0 ? below / draws : Double.NaN;
        List<String> warnings = warnings(chains, used, mean, std, rHat, fractionBelow);
        if (!warnings.isEmpty()) {
            log.debug("LLC estimate {} (d={}, {}): {}", mean, surface.dimension(), config, String.join("; ", warnings));
        }
        return LlcEstimate.of(config, surface.dimension(), surface.dataSize(), baseline, chains, mean, std, rHat,
                used > 0 ? ess : Double.NaN, fractionBelow, wallTime, warnings);
    }

    private static List<String> warnings(List<ChainResult> chains, int used, double mean, double std, double rHat,
            double fractionBelow) {
        List<String> warnings = new ArrayList<>();
        int diverged = chains.size() - used;
        if (used == 0) {
            warnings.add("all " + chains.size() + " chains diverged (first: "
                    + chains.get(0).divergence().orElse("?") + "); lower the step size or raise the localization");
        } else if (diverged > 0) {
            String first = chains.stream().filter(ChainResult::diverged).findFirst()
                    .flatMap(ChainResult::divergence).orElse("?");
            warnings.add(diverged + " of " + chains.size() + " chains diverged and were excluded (first: " + first
                    + "); lower the step size or raise the localization");
        }
        if (mean < 0) {
            warnings.add(String.format("negative estimate %.4g: the centre is probably not a local minimum of the "
                    + "sampled loss, or the chains are too short", mean));
        }
        if (fractionBelow > 0.5) {
            warnings.add(String.format("%.0f%% of draws had a loss below the baseline: the centre is probably not a "
                    + "local minimum", 100 * fractionBelow));
        }
        if (rHat > 1.1) {
            warnings.add(String.format("R-hat %.3f > 1.1: the chains disagree; run longer chains or calibrate the "
                    + "step size", rHat));
        }
        return warnings;
    }
}
