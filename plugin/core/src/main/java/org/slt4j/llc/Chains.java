package org.slt4j.llc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slt4j.surface.LossSurface;

/**
 * The chains of one estimate, run in rounds: every chain takes the same segment on the pool's threads (or, with a
 * {@link ChainRunner}, wherever the runner runs their plans), then the caller decides from the pooled progress
 * what comes next. Decisions depend only on the traces, never on timing (unless a time limit was set), so the
 * result depends neither on the thread count nor on where the chains ran.
 */
final class Chains implements AutoCloseable {
    /** The first automatic burn-in; it doubles until the traces are stationary. */
    static final int FIRST_BURN_IN = 256;
    /** The fewest draws per chain of the first automatic round. */
    static final int FIRST_DRAWS = 256;
    /** Batches per chain for batch-means standard errors. */
    static final int BATCHES_PER_CHAIN = 8;
    /** Relative change between trace halves accepted as stationary on top of twice its standard error. */
    static final double STATIONARY_SLACK = 0.01;
    /** The parts a segment runs in when the chains stop at the first divergence. */
    private static final int PARTS = 8;

    private static final AtomicInteger POOL_COUNTER = new AtomicInteger();

    private final LlcConfig config;
    /** The chains run here; empty when a runner runs them. */
    private final List<SgldChain> local = new ArrayList<>();
    private final ExecutorService pool;
    private final SamplingThreads poolThreads;
    /** The runner and the chains' plans; null when they run here. */
    private final ChainRunner runner;
    private final List<ChainPlan> plans = new ArrayList<>();
    /** See {@link #nanosPerStep()}. */
    private double nanosPerStep;
    /** Every chain's progress, in index order: live objects of the local chains, or the runner's latest. */
    private final List<ChainProgress> chains = new ArrayList<>();
    private final boolean stopAtDivergence;

    /**
     * Chains at the centre of the surface; {@code config}'s step size and localization must be set. With a runner
     * they run wherever it runs their plans; without one (null) here, on the configuration's threads. With
     * {@code stopAtDivergence} the chains take no more steps after the segment in which one diverged (the caller
     * will discard them); here, every segment then runs in {@value #PARTS} parts, and they stop after the part.
     * The steps they take are the same either way.
     */
    Chains(LossSurface surface, LlcConfig config, double baseline, ChainRunner runner, boolean stopAtDivergence) {
        this.config = config;
        this.runner = runner;
        this.stopAtDivergence = stopAtDivergence;
        try {
            for (int i = 0; i < config.chains(); i++) {
                if (runner == null) {
                    SgldChain chain = new SgldChain(surface, config, i, baseline);
                    local.add(chain);
                    chains.add(chain.progress());
                } else {
                    plans.add(ChainPlan.start(surface, config, i, baseline));
                    chains.add(new ChainProgress(config, i));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        int threads = runner == null ? Math.min(config.threads(), config.chains()) : 1;
        this.poolThreads = new SamplingThreads("slt4j-sgld-" + POOL_COUNTER.incrementAndGet());
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, poolThreads) : null;
    }

    /**
     * The fewest steps one chain takes with the configuration: its fixed burn-in and draws, or the first round of
     * an automatic burn-in ({@link #burnIn}) and of automatic draws, within the step cap.
     */
    static long fewestSteps(LlcConfig config) {
        long cap = config.maxStepsPerChain();
        long burnIn = config.burnInSteps().isPresent() ? config.burnInSteps().getAsInt()
                : Math.min(FIRST_BURN_IN, cap / 2);
        int thinning = config.stepsBetweenDraws();
        long draws = config.draws().isPresent() ? config.draws().getAsInt()
                : Math.min(Math.max(FIRST_DRAWS, burnIn / 2 / thinning), Math.max(0, (cap - burnIn) / thinning));
        return burnIn + draws * thinning;
    }

    /** The outcome of an automatic burn-in (timeLimited: a time limit ended it before it was stationary). */
    record BurnIn(long steps, boolean stationary, boolean timeLimited, String description) {
    }

    /**
     * Burn-in: the configured number of steps, or, when automatic, doubling from {@value #FIRST_BURN_IN} steps
     * until the second half of the traced burn-in has the same mean in its two quarters (within twice the
     * difference's batch-means standard error plus {@value #STATIONARY_SLACK} of the mean), or until half the
     * step cap, or until the traces sit clearly below zero (more than three standard errors): then the centre is no
     * minimum and no burn-in length would make the chains stationary around it. With a time limit
     * ({@link LlcConfig#timeLimit()}, counted from {@code start}, a {@link System#nanoTime()}) an automatic burn-in
     * also ends, not stationary, when the time is up: each doubling is shortened to the steps the time left allows
     * at the pace of the previous one ({@link #nanosPerStep()}).
     */
    BurnIn burnIn(long start) {
        if (config.burnInSteps().isPresent()) {
            int steps = config.burnInSteps().getAsInt();
            run(ChainPlan.Kind.BURN_IN, steps);
            return new BurnIn(steps, true, false, "fixed at " + steps + " steps");
        }
        long limit = config.maxStepsPerChain() / 2;
        long timeLimit = config.timeLimit().map(LlcEstimator::nanos).orElse(Long.MAX_VALUE);
        long done = 0;
        long target = Math.min(FIRST_BURN_IN, limit);
        while (true) {
            long segment = target - done;
            if (done > 0 && timeLimit != Long.MAX_VALUE) {
                segment = Math.min(segment, (long) ((timeLimit - (System.nanoTime() - start)) / nanosPerStep));
            }
            if (segment > 0) {
                run(ChainPlan.Kind.TRACED_BURN_IN, segment);
                done += segment;
            }
            Stationarity test = stationarity();
            if (test.stationary()) {
                return new BurnIn(done, true, false, String.format("stationary after %d steps (%s)", done, test));
            }
            if (done < target) {
                return new BurnIn(done, false, true, String.format("not stationary after %d steps, when the time "
                        + "limit %s ran out (%s)", done, config.timeLimit().orElseThrow(), test));
            }
            if (done >= limit || allDiverged()) {
                return new BurnIn(done, false, false, String.format("not stationary after %d steps (%s)", done, test));
            }
            if (test.level() + 3 * test.standardError() < 0) {
                // The chains keep finding lower loss than the centre's: the centre is no minimum of the sampled
                // loss, and a longer burn-in would only spend the step cap on sliding further down.
                return new BurnIn(done, false, false, String.format("not stationary after %d steps: the loss fell "
                        + "below the centre's, which is no local minimum (%s)", done, test));
            }
            target = Math.min(2 * done, limit);
        }
    }

    /** The comparison of the two quarters of the second half of every chain's burn-in trace. */
    record Stationarity(double change, double standardError, double level) {
        boolean stationary() {
            return Math.abs(change) <= 2 * standardError + STATIONARY_SLACK * Math.abs(level);
        }

        @Override
        public String toString() {
            return String.format("last quarter minus the one before: %.3g +- %.2g at level %.3g", change,
                    standardError, level);
        }
    }

    private Stationarity stationarity() {
        double change = 0;
        double variance = 0;
        double level = 0;
        int used = 0;
        for (ChainProgress chain : chains) {
            if (chain.diverged()) {
                continue;
            }
            double[] trace = chain.burnInTrace();
            int quarter = trace.length / 4;
            double[] third = Arrays.copyOfRange(trace, 2 * quarter, 3 * quarter);
            double[] fourth = Arrays.copyOfRange(trace, 3 * quarter, 4 * quarter);
            BatchMeans a = BatchMeans.of(List.of(third), BATCHES_PER_CHAIN / 2);
            BatchMeans b = BatchMeans.of(List.of(fourth), BATCHES_PER_CHAIN / 2);
            change += b.mean() - a.mean();
            variance += a.standardError() * a.standardError() + b.standardError() * b.standardError();
            level += (a.mean() + b.mean()) / 2;
            used++;
        }
        if (used == 0) {
            return new Stationarity(Double.NaN, Double.NaN, Double.NaN);
        }
        return new Stationarity(change / used, Math.sqrt(variance) / used, level / used);
    }

    /**
     * Untraced burn-in until the chains have taken {@code steps} burn-in steps, or, with a time limit (counted from
     * {@code start}, a {@link System#nanoTime()}), as many of them as the time left allows at the pace of the last
     * segment. Returns the steps added (0 when the chains had taken that many).
     */
    long extendBurnIn(long steps, long start) {
        long more = steps - burnInSteps();
        if (more > 0 && config.timeLimit().isPresent() && nanosPerStep > 0) {
            long left = LlcEstimator.nanos(config.timeLimit().get()) - (System.nanoTime() - start);
            more = Math.min(more, (long) (left / nanosPerStep));
        }
        if (more <= 0) {
            return 0;
        }
        run(ChainPlan.Kind.BURN_IN, more);
        return more;
    }

    /** Records the given number of draws on every chain. */
    void draw(int draws) {
        run(ChainPlan.Kind.DRAWS, draws);
    }

    /**
     * Keeps the burn-in at least half as long as the draws by turning the earliest draws into burn-in (the rule of
     * discarding the start of each chain, Gelman et al., Bayesian Data Analysis, 3rd ed., section 11.4): a chain
     * that passed the stationarity test early may still be creeping along a flat valley, and its early draws
     * would pull the estimate down. Returns the draws per chain turned into burn-in.
     */
    int keepBurnInAtLeastHalfTheDraws() {
        int thinning = config.stepsBetweenDraws();
        long burnIn = chains.stream().mapToLong(ChainProgress::burnInSteps).max().orElse(0);
        long draws = chains.stream().mapToLong(ChainProgress::draws).max().orElse(0);
        long excess = draws * thinning - 2 * burnIn;
        if (excess <= 0) {
            return 0;
        }
        int count = (int) ((excess + 3L * thinning - 1) / (3L * thinning));
        // The same bookkeeping on every chain, and in the plans, so that a chain replayed later does it too.
        chains.forEach(chain -> chain.discardFirstDraws(count));
        plans.replaceAll(plan -> plan.then(ChainPlan.Kind.DISCARD_DRAWS, count));
        return count;
    }

    /**
     * The step size's load where the chains ended their last draws: eps (nBeta h + gamma + weightDecay), with h the
     * largest top Hessian eigenvalue of the mean loss at the non-diverged chains' positions (on one probe batch of
     * the data; chains run by a runner measured it at the end of their last run). Plain SGLD on a direction of that
     * curvature overestimates its contribution by about a quarter of the load; NaN for a preconditioned sampler,
     * whose steps differ per direction, or when every chain diverged.
     */
    double stepLoad() {
        if (config.sampler().preconditioned() || allDiverged()) {
            return Double.NaN;
        }
        if (runner == null) {
            runHere(SgldChain::measureCurvature);
        }
        double top = chains.stream().filter(c -> !c.diverged()).mapToDouble(ChainProgress::curvature).max()
                .orElseThrow();
        return config.stepSize().getAsDouble() * (config.nBeta() * top + config.localization().getAsDouble()
                + config.weightDecay());
    }

    /** Steps of burn-in so far (the same on every chain that has not diverged). */
    long burnInSteps() {
        return chains.stream().mapToLong(ChainProgress::burnInSteps).max().orElse(0);
    }

    /** Batch-means summary of every non-diverged chain's draws. */
    BatchMeans batchMeans() {
        List<double[]> traces = new ArrayList<>();
        List<Double> ess = new ArrayList<>();
        for (ChainProgress chain : chains) {
            if (!chain.diverged()) {
                traces.add(chain.contributions());
                ess.add(chain.effectiveSampleSize());
            }
        }
        return BatchMeans.of(traces, ess.stream().mapToDouble(Double::doubleValue).toArray(), BATCHES_PER_CHAIN);
    }

    /** Split R-hat of the non-diverged chains' draws. */
    double rHat() {
        return McmcDiagnostics.splitRHat(chains.stream().filter(c -> !c.diverged()).map(ChainProgress::contributions)
                .toArray(double[][]::new));
    }

    /** Steps taken by the longest chain. */
    long maxSteps() {
        return chains.stream().mapToLong(ChainProgress::steps).max().orElse(0);
    }

    boolean allDiverged() {
        return chains.stream().allMatch(ChainProgress::diverged);
    }

    boolean anyDiverged() {
        return chains.stream().anyMatch(ChainProgress::diverged);
    }

    /** Every chain's progress, in index order. */
    List<ChainProgress> all() {
        return chains;
    }

    /**
     * The wall time per step of the last segment the chains ran (all chains together, as they ran), in nanoseconds;
     * 0 before the first. Paces the rounds under a time limit.
     */
    double nanosPerStep() {
        return nanosPerStep;
    }

    /** Runs a segment of burn-in steps or draws (each {@code stepsBetweenDraws} steps) on every live chain. */
    private void run(ChainPlan.Kind kind, long count) {
        long start = System.nanoTime();
        // A runner replays each chain from its start every round, so there a segment stays whole.
        long part = stopAtDivergence && runner == null ? (count + PARTS - 1) / PARTS : count;
        long done = 0;
        while (done < count && !(stopAtDivergence && anyDiverged())) {
            long size = Math.min(part, count - done);
            runSegment(kind, size);
            done += size;
        }
        long steps = kind == ChainPlan.Kind.DRAWS ? done * config.stepsBetweenDraws() : done;
        if (steps > 0) {
            nanosPerStep = (System.nanoTime() - start) / (double) steps;
        }
    }

    /** Runs the segment on every chain that has not diverged. */
    private void runSegment(ChainPlan.Kind kind, long count) {
        if (runner == null) {
            runHere(switch (kind) {
                case BURN_IN -> chain -> chain.burnIn(count, false);
                case TRACED_BURN_IN -> chain -> chain.burnIn(count, true);
                case DRAWS -> chain -> chain.draw((int) count);
                case DISCARD_DRAWS -> throw new IllegalArgumentException("not a segment of steps: " + kind);
            });
            return;
        }
        List<ChainPlan> live = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            if (!chains.get(i).diverged()) {
                plans.set(i, plans.get(i).then(kind, count));
                live.add(plans.get(i));
            }
        }
        List<ChainProgress> ran = runner.run(live);
        if (ran == null || ran.size() != live.size()) {
            throw new IllegalStateException("the chain runner returned " + (ran == null ? "null" : ran.size()
                    + " results") + " for " + live.size() + " chains");
        }
        for (int i = 0; i < live.size(); i++) {
            ChainProgress progress = ran.get(i);
            int index = live.get(i).index();
            if (progress == null || progress.index() != index) {
                throw new IllegalStateException("the chain runner returned the progress of chain "
                        + (progress == null ? "null" : progress.index()) + " for chain " + index);
            }
            chains.set(index, progress);
        }
    }

    private void runHere(Consumer<SgldChain> segment) {
        List<SgldChain> live = local.stream().filter(c -> !c.progress().diverged()).toList();
        if (pool == null) {
            live.forEach(segment);
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (SgldChain chain : live) {
            futures.add(pool.submit(() -> segment.accept(chain)));
        }
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for SGLD chains", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("SGLD chain failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
            poolThreads.awaitEnd(pool);
        }
        RuntimeException failure = null;
        for (SgldChain chain : local) {
            try {
                chain.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
