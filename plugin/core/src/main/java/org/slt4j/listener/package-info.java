/**
 * DL4J training listeners that decide <em>when</em> slt4j's diagnostics run during {@code fit()}:
 * {@link org.slt4j.listener.LlcListener} (LLC estimates), {@link org.slt4j.listener.SymmetryListener} (symmetry
 * scans and events) and {@link org.slt4j.listener.SltListener} (both), each built with
 * {@code new XxxListener.Builder(...)...build()}, on a {@link org.slt4j.listener.Schedule}, synchronously or on a
 * background thread, within an overhead budget, with failures isolated from training. Records go to
 * {@link org.slt4j.report.DiagnosticsSink}s; {@link org.slt4j.listener.DiagnosticsListener} documents the
 * behaviour they share.
 */
package org.slt4j.listener;
