/**
 * Symmetry and degeneracy scanning of DL4J networks (docs/user-guide.md, "Parameters are not all equally real" and
 * "Symmetries explain the number").
 *
 * <p>{@link org.slt4j.symmetry.SymmetryScanner} inspects a {@code MultiLayerNetwork} or {@code ComputationGraph}
 * and a probe batch and returns an immutable {@link org.slt4j.symmetry.SymmetrySnapshot}: per layer
 * ({@link org.slt4j.symmetry.LayerSymmetry}) the dead, always-active, zero and duplicate units, the effective width,
 * the rank of the weight matrix and the ReLU rescaling balance; for the network the number of parameters
 * {@code d}, the number {@code k} of exactly flat directions the scan can justify, and the resulting upper bound
 * {@code (d - k) / 2} on the local learning coefficient.
 *
 * <p>{@link org.slt4j.symmetry.SymmetryTracker} turns successive snapshots into
 * {@link org.slt4j.symmetry.SymmetryEvent}s (formation and breaking of symmetries) with hysteresis.
 *
 * <p>Scanning never modifies the scanned network; thresholds live in
 * {@link org.slt4j.symmetry.SymmetryThresholds} and travel with every snapshot.
 */
package org.slt4j.symmetry;
