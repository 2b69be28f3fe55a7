/**
 * Estimation of the local learning coefficient (LLC) by stochastic-gradient Langevin dynamics (SGLD) around a
 * trained point, following Lau et al. (2023), "The Local Learning Coefficient: A Singularity-Aware Complexity
 * Measure".
 *
 * <p>Entry points: {@link org.slt4j.llc.LlcConfig} (every setting, validated at build time),
 * {@link org.slt4j.llc.LlcEstimator} (runs the chains, in parallel, reproducibly for a given seed) and the
 * immutable result {@link org.slt4j.llc.LlcEstimate}. The estimator sees models only through
 * {@link org.slt4j.surface.LossSurface}.
 */
package org.slt4j.llc;
