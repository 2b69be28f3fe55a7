package org.slt4j.listener;

import com.google.common.base.Preconditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.FailureRecord;
import org.slt4j.report.InMemorySink;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHeader;
import org.slt4j.report.RunHistory;
import org.slt4j.report.SkipRecord;
import org.slt4j.report.TrainingRecord;
import org.slt4j.report.storage.StatsStorageSink;

/**
 * What the slt4j listeners ({@link LlcListener}, {@link SymmetryListener}, {@link SltListener}) share: they decide
 * <em>when</em> diagnostics run, run them synchronously or on a background thread within an overhead budget,
 * record the loss, and send every record to the sinks. Build one with a subclass's {@code Builder}.
 *
 * <h2>Per training callback</h2>
 * In {@code iterationDone(model, i, epoch)}: at the first callback the {@link RunHeader} is written and the
 * budget's clock starts; the loss ({@code model.score()}) is recorded when the loss schedule fires (by default
 * at every iteration); then every diagnostic whose {@link Schedule} fires at i runs. In {@code onEpochEnd},
 * diagnostics with an epoch schedule run, stamped with the epoch's last iteration.
 *
 * <h2>Synchronous and asynchronous modes</h2>
 * Synchronous (the default): the diagnostic runs inside the callback; training waits. Asynchronous
 * ({@link Builder#async(boolean) async(true)}): inside the callback only a snapshot is taken (the parameters are
 * copied, detached from workspaces), and the diagnostic runs on the listener's single background thread; its
 * records carry the snapshot's iteration. At most {@link Builder#maxPending(int) maxPending} diagnostics are
 * queued or running; a diagnostic scheduled while that many are pending is <b>skipped</b> (a
 * {@link SkipRecord} with reason {@code QUEUE_FULL}), never queued unboundedly and never replacing an older one.
 * Call {@link #awaitCompletion()} or {@link #close()} after {@code fit()} so the last results are written.
 *
 * <h2>Failures</h2>
 * An exception thrown by a diagnostic or a sink, and an LLC estimate that is NaN (every chain diverged), are
 * logged at WARN the first time for each diagnostic or sink (later ones at DEBUG), recorded as a
 * {@link FailureRecord}, and training goes on. With {@link Builder#failOnError(boolean) failOnError(true)} they
 * are thrown instead as an {@link IllegalStateException}: from the callback in synchronous mode, from the next
 * callback, {@link #awaitCompletion()} or {@link #close()} in asynchronous mode.
 *
 * <h2>Routing</h2>
 * Implements DL4J's {@link RoutingIterationListener}: {@link #setStorageRouter} makes it post its records to a
 * StatsStorage (as {@link StatsStorageSink} does) under its session and worker IDs, the way StatsListener does.
 * Session and worker IDs are fixed by the run header at the first callback.
 *
 * <p>The training thread is the only caller of the callbacks; sinks are called one record at a time.
 */
public abstract class DiagnosticsListener extends BaseTrainingListener
        implements RoutingIterationListener, AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(DiagnosticsListener.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final transient Settings settings;
    private final transient List<Task> tasks;
    private final transient InMemorySink history;
    private final transient List<DiagnosticsSink> sinks = new CopyOnWriteArrayList<>();
    private final transient OverheadBudget budget;
    private final transient Set<Object> warned = ConcurrentHashMap.newKeySet();
    private final transient Queue<Future<?>> pending = new ConcurrentLinkedQueue<>();
    private final transient AtomicInteger pendingCount = new AtomicInteger();
    private transient StatsStorageSink routerSink;
    private transient ExecutorService executor;
    private transient volatile Thread backgroundThread;
    private transient volatile RuntimeException fatal;
    private String sessionId;
    private String workerId;
    private transient boolean started;
    private transient boolean closed;
    private transient long lastIteration = -1;
    private transient int lastEpoch;

    DiagnosticsListener(Settings settings, List<Task> tasks) {
        this.settings = settings;
        this.tasks = List.copyOf(tasks);
        this.budget = new OverheadBudget(settings.overheadBudget, settings.clock, this.tasks);
        this.sessionId = settings.sessionId != null ? settings.sessionId : UUID.randomUUID().toString();
        this.workerId = settings.workerId != null ? settings.workerId
                : "worker-" + UUID.randomUUID().toString().substring(0, 8);
        this.history = settings.keepHistory ? new InMemorySink() : null;
        if (history != null) {
            sinks.add(history);
        }
        sinks.addAll(settings.sinks);
        if (settings.router != null) {
            setStorageRouter(settings.router);
        }
    }

    /** A listener of the same kind with the same settings and fresh state (see {@link #clone()}). */
    abstract DiagnosticsListener newInstance(Settings settings, List<Task> tasks);

    /**
     * Everything this listener recorded so far, as a run history (an asynchronous diagnostic still running is
     * not in it yet; see {@link #awaitCompletion()}).
     *
     * @throws IllegalStateException if the listener was built with {@code keepHistory(false)}
     */
    public RunHistory history() {
        Preconditions.checkState(history != null,
                "history is not kept: the listener was built with keepHistory(false)");
        return history.history();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        throwIfFatal();
        start(model);
        lastIteration = iteration;
        lastEpoch = epoch;
        if (settings.lossSchedule.firesAtIteration(iteration)) {
            emit(new LossRecord(iteration, epoch, settings.clock.instant(), model.score()));
        }
        for (Task task : tasks) {
            if (task.schedule().firesAtIteration(iteration)) {
                run(task, model, iteration, epoch);
            }
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        throwIfFatal();
        start(model);
        int epoch = epochOf(model);
        for (Task task : tasks) {
            if (task.schedule().firesAtEpochEnd(epoch)) {
                run(task, model, Math.max(lastIteration, 0), epoch);
            }
        }
    }

    /**
     * Waits until every pending asynchronous diagnostic has finished and its records are written. Returns at
     * once in synchronous mode.
     *
     * @throws IllegalStateException with {@code failOnError(true)}, if a diagnostic or sink failed
     */
    public void awaitCompletion() {
        Future<?> next;
        while ((next = pending.poll()) != null) {
            try {
                next.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for diagnostics", e);
            } catch (ExecutionException e) {
                // Work catches its own failures; reaching here is a bug, not a diagnostic failure.
                throw new IllegalStateException("diagnostic task failed unexpectedly", e.getCause());
            }
        }
        throwIfFatal();
    }

    /**
     * Waits for pending diagnostics ({@link #awaitCompletion()}), stops the background thread and closes the
     * sinks given to the builder (not a StatsStorage router). Idempotent.
     *
     * @throws IllegalStateException with {@code failOnError(true)}, if a diagnostic or sink failed
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            awaitCompletion();
        } finally {
            if (executor != null) {
                executor.shutdown();
            }
            for (DiagnosticsSink sink : sinks) {
                if (sink != routerSink) {
                    closeQuietly(sink);
                }
            }
        }
    }

    @Override
    public void setStorageRouter(StatsStorageRouter router) {
        if (routerSink != null) {
            sinks.remove(routerSink);
        }
        routerSink = router == null ? null : new StatsStorageSink(router);
        if (routerSink != null) {
            sinks.add(routerSink);
        }
    }

    @Override
    public StatsStorageRouter getStorageRouter() {
        return routerSink == null ? null : routerSink.router();
    }

    /** Sets the worker ID; takes effect only before the first training callback. */
    @Override
    public void setWorkerID(String workerID) {
        this.workerId = Objects.requireNonNull(workerID, "workerID");
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    /** Sets the session ID; takes effect only before the first training callback. */
    @Override
    public void setSessionID(String sessionID) {
        this.sessionId = Objects.requireNonNull(sessionID, "sessionID");
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    /**
     * A listener with the same settings, sinks and router, the same session ID, a new worker ID and fresh state
     * (as DL4J's ParallelWrapper expects of routing listeners).
     */
    @Override
    public DiagnosticsListener clone() {
        List<Task> fresh = tasks.stream().map(Task::fresh).toList();
        DiagnosticsListener copy = newInstance(settings, fresh);
        copy.setSessionID(sessionId);
        copy.setStorageRouter(getStorageRouter());
        return copy;
    }

    private void start(Model model) {
        if (started) {
            return;
        }
        started = true;
        budget.start();
        Map<String, String> described = new TreeMap<>();
        described.put("mode", settings.async ? "async" : "sync");
        described.put("overheadBudget", Double.toString(settings.overheadBudget));
        described.put("maxPending", Integer.toString(settings.maxPending));
        described.put("lossSchedule", settings.lossSchedule.toString());
        tasks.forEach(t -> t.describe(described));
        int layers = model instanceof MultiLayerNetwork net ? net.getnLayers()
                : model instanceof ComputationGraph graph ? graph.getNumLayers() : 0;
        emit(new RunHeader(RecordJson.SCHEMA_VERSION, sessionId, workerId, settings.clock.instant(),
                model.getClass().getSimpleName(), model.numParams(), layers, settings.trainingSetSize, described));
    }

    private void run(Task task, Model model, long iteration, int epoch) {
        if (!budget.allows(task, !settings.async)) {
            emit(new SkipRecord(iteration, epoch, settings.clock.instant(), task.kind(),
                    SkipRecord.Reason.OVER_BUDGET, budget.describe(task)));
            return;
        }
        if (settings.async && pendingCount.get() >= settings.maxPending) {
            emit(new SkipRecord(iteration, epoch, settings.clock.instant(), task.kind(), SkipRecord.Reason.QUEUE_FULL,
                    pendingCount.get() + " diagnostics pending (maxPending " + settings.maxPending + ")"));
            return;
        }
        Instant start = settings.clock.instant();
        Task.Work work;
        try {
            work = task.snapshot(model, iteration, epoch);
        } catch (RuntimeException e) {
            failed(task, iteration, epoch, e);
            return;
        } finally {
            budget.spend(task, Duration.between(start, settings.clock.instant()));
        }
        if (!settings.async) {
            execute(task, work, iteration, epoch, 1);
            return;
        }
        pendingCount.incrementAndGet();
        pending.add(executor().submit(() -> {
            budget.began(task);
            try {
                execute(task, work, iteration, epoch, task.threads());
            } finally {
                pendingCount.decrementAndGet();
            }
        }));
    }

    /** Runs the work, accounts its cost, writes its records; failures are recorded (and kept when fatal). */
    private void execute(Task task, Task.Work work, long iteration, int epoch, int costThreads) {
        Instant start = settings.clock.instant();
        List<TrainingRecord> records;
        try {
            records = work.run(settings.clock);
        } catch (RuntimeException e) {
            failed(task, iteration, epoch, e);
            return;
        } finally {
            budget.ended(task, Duration.between(start, settings.clock.instant()), costThreads);
        }
        records.forEach(this::emit);
        for (TrainingRecord r : records) {
            if (r instanceof LlcRecord l && Double.isNaN(l.estimate().mean())) {
                failed(task, iteration, epoch, new NonFiniteResult(
                        "LLC estimate is NaN: " + String.join("; ", l.estimate().warnings())));
            }
        }
    }

    private void failed(Task source, long iteration, int epoch, RuntimeException e) {
        String error = e instanceof NonFiniteResult ? "NaN" : e.getClass().getName();
        String message = Objects.toString(e.getMessage(), "");
        if (warned.add(source)) {
            log.warn("slt4j: {} failed at iteration {} (training goes on; later failures of it are recorded, "
                    + "logged at DEBUG): {}", describe(source), iteration, e.toString(), e);
        } else {
            log.debug("slt4j: {} failed at iteration {}: {}", describe(source), iteration, e.toString());
        }
        emit(new FailureRecord(iteration, epoch, settings.clock.instant(), source.kind(), error, message));
        if (settings.failOnError) {
            fail(new IllegalStateException(
                    describe(source) + " failed at iteration " + iteration + " (failOnError is true)", e));
        }
    }

    /** Throws on the training thread; on the background thread, keeps the error for the next callback. */
    private void fail(IllegalStateException error) {
        if (Thread.currentThread() == backgroundThread) {
            fatal = fatal == null ? error : fatal;
        } else {
            throw error;
        }
    }

    private static String describe(Task task) {
        return task.kind() + " diagnostic";
    }

    /** Writes a record to every sink; a failing sink is recorded in the others and never stops the rest. */
    private void emit(DiagnosticRecord record) {
        for (DiagnosticsSink sink : sinks) {
            try {
                synchronized (sink) {
                    sink.write(record);
                }
            } catch (RuntimeException e) {
                sinkFailed(sink, record, e);
            }
        }
    }

    private void sinkFailed(DiagnosticsSink failing, DiagnosticRecord record, RuntimeException e) {
        long iteration = record instanceof TrainingRecord t ? t.iteration() : Math.max(lastIteration, 0);
        int epoch = record instanceof TrainingRecord t ? t.epoch() : lastEpoch;
        if (warned.add(failing)) {
            log.warn("slt4j: sink {} failed writing a {} record (training goes on; later failures of this sink "
                    + "are recorded, logged at DEBUG): {}", failing, record.type(), e.toString(), e);
        } else {
            log.debug("slt4j: sink {} failed: {}", failing, e.toString());
        }
        FailureRecord failure = new FailureRecord(iteration, epoch, settings.clock.instant(), Diagnostic.SINK,
                e.getClass().getName(), failing + ": " + Objects.toString(e.getMessage(), ""));
        for (DiagnosticsSink other : sinks) {
            if (other != failing) {
                try {
                    synchronized (other) {
                        other.write(failure);
                    }
                } catch (RuntimeException ignored) {
                    // That sink's own failure is reported when it fails on its own record.
                }
            }
        }
        if (settings.failOnError) {
            fail(new IllegalStateException("sink " + failing + " failed (failOnError is true)", e));
        }
    }

    private void throwIfFatal() {
        RuntimeException f = fatal;
        if (f != null) {
            fatal = null;
            throw f;
        }
    }

    private ExecutorService executor() {
        if (executor == null) {
            String name = "slt4j-diagnostics-" + THREADS.incrementAndGet();
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                backgroundThread = t;
                return t;
            });
        }
        return executor;
    }

    private static int epochOf(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getEpochCount();
        }
        return model instanceof ComputationGraph graph ? graph.getEpochCount() : 0;
    }

    private static void closeQuietly(DiagnosticsSink sink) {
        try {
            sink.close();
        } catch (RuntimeException e) {
            log.warn("slt4j: closing sink {} failed: {}", sink, e.toString());
        }
    }

    /** A NaN result, recorded with error "NaN". */
    private static final class NonFiniteResult extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFiniteResult(String message) {
            super(message, null, false, false);
        }
    }

    /** The settings every listener has, captured at build time. Immutable. */
    static final class Settings {
        final List<DiagnosticsSink> sinks;
        final StatsStorageRouter router;
        final String sessionId;
        final String workerId;
        final boolean async;
        final int maxPending;
        final double overheadBudget;
        final boolean failOnError;
        final Schedule lossSchedule;
        final Clock clock;
        final boolean keepHistory;
        final long trainingSetSize;

        Settings(Builder<?> b, long trainingSetSize) {
            this.sinks = List.copyOf(b.sinks);
            this.router = b.router;
            this.sessionId = b.sessionId;
            this.workerId = b.workerId;
            this.async = b.async;
            this.maxPending = b.maxPending;
            this.overheadBudget = b.overheadBudget;
            this.failOnError = b.failOnError;
            this.lossSchedule = b.lossSchedule;
            this.clock = b.clock;
            this.keepHistory = b.keepHistory;
            this.trainingSetSize = trainingSetSize;
        }
    }

    /**
     * The settings every slt4j listener has. Not thread-safe; validated at {@code build()}.
     *
     * @param <B> the concrete builder
     */
    public abstract static class Builder<B extends Builder<B>> {
        private final List<DiagnosticsSink> sinks = new ArrayList<>();
        private StatsStorageRouter router;
        private String sessionId;
        private String workerId;
        private boolean async;
        private int maxPending = 2;
        private double overheadBudget = 0.1;
        private boolean failOnError;
        private Schedule lossSchedule = Schedule.everyNIterations(1);
        private Clock clock = Clock.systemUTC();
        private boolean keepHistory = true;

        Builder() {
        }

        abstract B self();

        /** Adds a sink; every record goes to every sink, in the order added. {@link #close()} closes them. */
        public B sink(DiagnosticsSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return self();
        }

        /** Posts the records to a DL4J StatsStorage (or remote UI router) too; see {@link StatsStorageSink}. */
        public B statsStorage(StatsStorageRouter router) {
            this.router = Objects.requireNonNull(router, "router");
            return self();
        }

        /** The session ID of the run (default: a random UUID). */
        public B sessionId(String sessionId) {
            this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
            return self();
        }

        /** The worker ID of the run (default: {@code worker-} and 8 random hex digits). */
        public B workerId(String workerId) {
            this.workerId = Objects.requireNonNull(workerId, "workerId");
            return self();
        }

        /**
         * Runs diagnostics on a background thread, on a snapshot of the parameters taken at the scheduled
         * iteration (default false: run inside the training callback).
         */
        public B async(boolean async) {
            this.async = async;
            return self();
        }

        /**
         * Asynchronous mode: how many diagnostics may be queued or running at once (default 2); one scheduled
         * beyond that is skipped and recorded.
         */
        public B maxPending(int maxPending) {
            this.maxPending = maxPending;
            return self();
        }

        /**
         * The largest fraction of training wall time the diagnostics may take (default 0.1;
         * {@code Double.POSITIVE_INFINITY}: no limit). Each diagnostic has a share of the budget: all of it in a
         * single-diagnostic listener; in {@link SltListener} the symmetry scans get 20% and the LLC estimates 80%,
         * so costly estimates cannot starve the scans. Rule: with {@code elapsed} the wall time since the first
         * training callback and {@code spent} the time this diagnostic took so far (its snapshots on the training
         * thread, plus its run time, times its threads when it ran in the background, including the time so far of
         * a background run still in progress), a scheduled diagnostic runs iff
         * {@code spent + predicted <= budget * share * (elapsed + (sync ? predicted : 0))}, where {@code predicted} is the
         * run time of its previous run, or the time its first run has taken so far while that is still running
         * (0 before its first run, which therefore always runs: the first estimate can overshoot the budget on a
         * short run). Otherwise it is skipped and recorded with reason {@code OVER_BUDGET}.
         */
        public B overheadBudget(double fraction) {
            this.overheadBudget = fraction;
            return self();
        }

        /** Makes a failing diagnostic or sink fatal to training instead of recorded (default false). */
        public B failOnError(boolean failOnError) {
            this.failOnError = failOnError;
            return self();
        }

        /** When the loss is recorded (default: every iteration; {@link Schedule#never()} turns it off). */
        public B lossSchedule(Schedule schedule) {
            this.lossSchedule = Objects.requireNonNull(schedule, "lossSchedule");
            return self();
        }

        /** Keeps every record in memory for {@link #history()} (default true). */
        public B keepHistory(boolean keepHistory) {
            this.keepHistory = keepHistory;
            return self();
        }

        /** The clock for timestamps and the overhead budget (default: the system clock, UTC). */
        public B clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return self();
        }

        /** Checks the shared settings and captures them. */
        Settings settings(long trainingSetSize) {
            Preconditions.checkArgument(maxPending >= 1, "maxPending must be >= 1 (got: %s)", maxPending);
            Preconditions.checkArgument(overheadBudget > 0, "overheadBudget must be > 0 (got: %s)", overheadBudget);
            return new Settings(this, trainingSetSize);
        }
    }
}
