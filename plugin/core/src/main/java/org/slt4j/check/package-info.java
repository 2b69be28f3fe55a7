/**
 * Regression checks for SLT diagnostics in tests and CI: AssertJ-style assertions on estimates, symmetry
 * snapshots and whole runs ({@link org.slt4j.check.SltAssertions}), baselines
 * ({@link org.slt4j.check.RunBaseline}) recorded from one run and checked against later ones with a
 * {@link org.slt4j.check.Tolerance} in standard errors and relative terms, and a JUnit 5 extension
 * ({@link org.slt4j.check.SltBaseline}, {@link org.slt4j.check.SltBaselineExtension}) that records and checks a
 * test's run against a committed baseline file. The assertions need AssertJ and the extension needs the JUnit
 * Jupiter API, both optional dependencies of the library.
 */
package org.slt4j.check;
