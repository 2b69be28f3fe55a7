package org.slt4j.report;

/**
 * Where diagnostic records go: the SPI behind every output of slt4j (SLF4J, CSV, JSONL, memory, DL4J
 * StatsStorage). Implement it to send records anywhere else.
 *
 * <p>Contract (checked for every sink by one contract test suite):
 * <ul>
 *   <li>The first record of a run is its {@link RunHeader}; then training records, possibly out of iteration
 *       order (asynchronous diagnostics finish late). A sink shared by a listener's clones (one per worker under
 *       DL4J's ParallelWrapper) gets one header per worker, each before that worker's records.</li>
 *   <li>A record is handed over completely by the time {@link #write} returns (files are flushed), so a killed
 *       run keeps everything written before. A sink may hold records of some types back instead, to hand many
 *       over at once, if it documents which types and bounds both how long and how many: it hands them over
 *       within that time without another call, before any record it does not hold back, and on {@link #flush()}
 *       and {@link #close()}. A killed run then loses at most the records held back. The DL4J StatsStorage sink
 *       holds loss and metric records back, for at most a second by default.</li>
 *   <li>{@link #write} and {@link #flush()} may throw; the listeners catch it, log it once, record a failure and
 *       go on (unless {@code failOnError(true)}). A sink that fails to hand over held-back records on a thread of
 *       its own throws that failure from its next call instead. A sink need not be thread-safe: listeners call it
 *       from one thread at a time, even when several listeners (clones) share it.</li>
 *   <li>{@link #close()} hands over what is held back, releases resources and leaves no thread of the sink; it
 *       is idempotent, and writing after it is an error.</li>
 * </ul>
 */
public interface DiagnosticsSink extends AutoCloseable {

    /**
     * Stores or forwards one record.
     *
     * @throws RuntimeException when it cannot (e.g. {@link java.io.UncheckedIOException} for an unwritable file)
     */
    void write(DiagnosticRecord record);

    /**
     * Hands over every record held back (see the contract above). Does nothing by default: most sinks hand each
     * record over in {@link #write}.
     *
     * @throws RuntimeException when it cannot
     */
    default void flush() {
    }

    /** Hands over what is held back and releases resources. Does nothing by default. */
    @Override
    default void close() {
    }
}
