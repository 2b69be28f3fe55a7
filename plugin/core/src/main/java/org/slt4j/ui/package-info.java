/**
 * The slt4j page of the DL4J training UI: {@link org.slt4j.ui.SltModule}, a UI module the UI server finds through
 * {@code META-INF/services/org.deeplearning4j.ui.api.UIModule}. It serves {@code /slt} (LLC with its uncertainty
 * beside the loss, the symmetry bound, per-layer widths and ranks, events, the latest estimate's chains) and the
 * JSON endpoints behind it, reading only what the slt4j listeners stored in the StatsStorage instances attached to
 * the UI - live while a run trains, or later from a FileStatsStorage file.
 *
 * <p>Needs {@code org.deeplearning4j:deeplearning4j-ui} on the classpath (an optional dependency of slt4j).
 * Everything but the module class is package-private.
 */
package org.slt4j.ui;
