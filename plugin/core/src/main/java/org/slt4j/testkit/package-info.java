/**
 * Ground truth for LLC estimates: exact learning coefficients from the literature ({@link
 * org.slt4j.testkit.ExactValues}) and DL4J deep linear networks at a true parameter where they apply ({@link
 * org.slt4j.testkit.DeepLinearNetworks}). slt4j's own accuracy tests use them; users can check estimator settings
 * against them on their hardware before trusting estimates on their own networks.
 */
package org.slt4j.testkit;
