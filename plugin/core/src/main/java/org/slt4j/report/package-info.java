/**
 * What slt4j stores about a training run, where it goes, and how to read it back.
 *
 * <ul>
 *   <li>Records: {@link org.slt4j.report.DiagnosticRecord} and its immutable implementations
 *       ({@link org.slt4j.report.RunHeader}, {@link org.slt4j.report.LossRecord},
 *       {@link org.slt4j.report.LlcRecord}, {@link org.slt4j.report.SymmetryRecord},
 *       {@link org.slt4j.report.EventRecord}, {@link org.slt4j.report.FailureRecord},
 *       {@link org.slt4j.report.SkipRecord}). The schema is versioned and documented in
 *       {@code docs/record-schema.md}.</li>
 *   <li>Encoding: {@link org.slt4j.report.RecordJson}, one JSON object per record (one line of a JSONL file).</li>
 *   <li>Sinks: the {@link org.slt4j.report.DiagnosticsSink} SPI and its implementations (SLF4J, CSV, JSONL,
 *       in-memory; DL4J StatsStorage in {@code org.slt4j.report.storage}).</li>
 *   <li>Read-back: {@link org.slt4j.report.RunHistory} loads a run (JSONL file, records; a StatsStorage session
 *       through {@code org.slt4j.report.storage.StoredRun}) into {@link org.slt4j.report.Series}: LLC with
 *       uncertainty, symmetry metrics, loss; and events.</li>
 *   <li>Rendering: {@link org.slt4j.report.html.HtmlReport} writes a run as an offline HTML page;
 *       {@link org.slt4j.report.Format} is how slt4j writes numbers in reports, messages and the tool's output.</li>
 * </ul>
 */
package org.slt4j.report;
