/**
 * Loss surfaces: the view "flat parameter vector -> mean loss and its gradient on a minibatch" that the LLC
 * estimator samples.
 *
 * <p>{@link org.slt4j.surface.NetworkSurfaces} builds surfaces for DL4J {@code MultiLayerNetwork} and
 * {@code ComputationGraph} models; each chain works on a private copy of the network, so the user's network
 * (parameters, updater state, listeners, input) is never touched. {@link org.slt4j.surface.AnalyticSurfaces}
 * provides potentials with exactly known learning coefficients, used to test the sampler.
 */
package org.slt4j.surface;
