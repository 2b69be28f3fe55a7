/**
 * A run as a self-contained, offline HTML report: {@link org.slt4j.report.html.HtmlReport} renders a
 * {@link org.slt4j.report.RunHistory} (LLC and loss, symmetry metrics per layer, events, estimator settings, failed
 * and skipped diagnostics) with inline SVG charts, no scripts and no external resources.
 */
package org.slt4j.report.html;
