/**
 * The {@code slt4j} command-line tool ({@link org.slt4j.cli.SltCli}): LLC and symmetry of saved DL4J models on
 * CSV data, the LLC curve over a directory of training checkpoints, regression checks of a run against a
 * baseline, and offline HTML reports. Built as {@code plugin/cli/target/slt4j-cli.jar} with the CPU backend inside.
 * Needs picocli, an optional dependency of the library.
 */
package org.slt4j.cli;
