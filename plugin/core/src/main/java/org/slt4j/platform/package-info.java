/**
 * The platform the diagnostics run on: which BLAS kernels ND4J uses and whether they fit the CPU
 * ({@link org.slt4j.platform.BlasDiagnostics}, also printed by {@code slt4j doctor}).
 */
package org.slt4j.platform;
