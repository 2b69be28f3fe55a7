package org.slt4j.llc;

import java.util.List;

/**
 * Runs the SGLD chains of an estimate somewhere else than on the estimator's own threads: on other machines, for
 * instance as the tasks of a Spark job. The estimator still decides every round from the pooled progress, so
 * the estimate is the one a local run gives, bit for bit, whichever runner ran the chains and in whatever order.
 *
 * <p>The estimator calls {@link #run} once per round (each burn-in segment, each round of draws) with the plans
 * of the chains that have not diverged. Chains keep no state between calls: each plan is replayed from the
 * chain's start ({@link ChainPlan#run}), so a round costs the chain's whole length so far. With a fixed burn-in
 * and fixed draws an estimate takes one round; automatic ones take a few (each at least doubles the last).
 */
@FunctionalInterface
public interface ChainRunner {
    /**
     * Brings each chain to the end of its plan and returns the progress, in the order of the plans.
     *
     * @param plans the chains of one estimate; each must be run with {@link ChainPlan#run} on the estimate's
     *              surface (or one built the same way)
     * @return one progress per plan, in the same order
     */
    List<ChainProgress> run(List<ChainPlan> plans);
}
