/**
 * Regression checks for SLT diagnostics in tests and CI: AssertJ-style assertions on estimates, symmetry
 * snapshots and whole runs ({@link org.slt4j.check.SltAssertions}), and baselines
 * ({@link org.slt4j.check.RunBaseline}) recorded from one run and checked against later ones with a
 * {@link org.slt4j.check.Tolerance} in standard errors and relative terms. Needs AssertJ, an optional dependency of
 * the library, for the assertions.
 */
package org.slt4j.check;
