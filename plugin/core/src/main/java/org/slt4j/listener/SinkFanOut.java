package org.slt4j.listener;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.storage.StatsStorageSink;

/**
 * A listener's sinks: every record goes to every sink, in the order added, one record at a time per sink. A sink
 * that throws never stops the others; its failure goes to the {@link Failures} handler. The fan-out owns the sinks
 * it makes (the StatsStorage router's, and a clone's copies of StatsStorage sinks: each posts under one worker's
 * ID) and closes them with {@link #close(boolean)}; the sinks it is given belong to the listener built by the
 * builder.
 */
final class SinkFanOut {
    private static final Logger log = LoggerFactory.getLogger(DiagnosticsListener.class);

    /** Told of a sink's failure, after the other sinks got the record. */
    interface Failures {
        /**
         * @param record the record the sink failed to write; null when it failed to hand over the records it held
         *               back (see {@link DiagnosticsSink#flush()})
         */
        void sinkFailed(DiagnosticsSink sink, DiagnosticRecord record, RuntimeException e);
    }

    private final List<DiagnosticsSink> sinks = new CopyOnWriteArrayList<>();
    private final Set<DiagnosticsSink> own = ConcurrentHashMap.newKeySet();
    private final Failures failures;
    private StatsStorageSink routerSink;

    /**
     * @param copyStorageSinks whether each {@link StatsStorageSink} among {@code sinks} is replaced by a copy of its
     *                         own (for a clone of a listener: a StatsStorageSink posts under one worker's ID)
     */
    SinkFanOut(List<? extends DiagnosticsSink> sinks, boolean copyStorageSinks, Failures failures) {
        for (DiagnosticsSink sink : sinks) {
            if (copyStorageSinks && sink instanceof StatsStorageSink shared) {
                StatsStorageSink copy = shared.copy();
                own.add(copy);
                this.sinks.add(copy);
            } else {
                this.sinks.add(sink);
            }
        }
        this.failures = failures;
    }

    /** Writes the record to every sink; a failing sink is reported to the handler. */
    void write(DiagnosticRecord record) {
        for (DiagnosticsSink sink : sinks) {
            try {
                writeTo(sink, record);
            } catch (RuntimeException e) {
                failures.sinkFailed(sink, record, e);
            }
        }
    }

    /** Writes the record to every sink but {@code excluded}, ignoring failures (for a sink's own failure record). */
    void writeExcept(DiagnosticsSink excluded, DiagnosticRecord record) {
        for (DiagnosticsSink other : sinks) {
            if (other != excluded) {
                try {
                    writeTo(other, record);
                } catch (RuntimeException ignored) {
                    // That sink's own failure is reported when it fails on its own record.
                }
            }
        }
    }

    /** Has every sink hand over the records it holds back; a failing sink is reported to the handler. */
    void flush() {
        for (DiagnosticsSink sink : sinks) {
            flush(sink);
        }
    }

    private void flush(DiagnosticsSink sink) {
        try {
            synchronized (sink) {
                sink.flush();
            }
        } catch (RuntimeException e) {
            failures.sinkFailed(sink, null, e);
        }
    }

    /**
     * Replaces the StatsStorage router's sink (null: none); the replaced one hands over what it held back and is
     * closed (not its router).
     */
    void router(StatsStorageRouter router) {
        StatsStorageSink replaced = routerSink;
        if (replaced != null) {
            sinks.remove(replaced);
            own.remove(replaced);
            flush(replaced);
            close(replaced);
        }
        routerSink = router == null ? null : new StatsStorageSink(router);
        if (routerSink != null) {
            own.add(routerSink);
            sinks.add(routerSink);
        }
    }

    /** The StatsStorage router, or null. */
    StatsStorageRouter router() {
        return routerSink == null ? null : routerSink.router();
    }

    /**
     * Closes the sinks this fan-out made, and with {@code given} the sinks it was given too; never a router (it
     * belongs to the caller). A failure is logged.
     */
    void close(boolean given) {
        for (DiagnosticsSink sink : sinks) {
            if (given || own.contains(sink)) {
                close(sink);
            }
        }
    }

    private static void close(DiagnosticsSink sink) {
        try {
            sink.close();
        } catch (RuntimeException e) {
            log.warn("slt4j: closing sink {} failed: {}", sink, e.toString());
        }
    }

    private static void writeTo(DiagnosticsSink sink, DiagnosticRecord record) {
        synchronized (sink) {
            sink.write(record);
        }
    }
}
