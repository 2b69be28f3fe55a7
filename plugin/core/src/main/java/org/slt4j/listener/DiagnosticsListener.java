package org.slt4j.listener;

import com.google.common.base.Preconditions;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.InvocationType;
import org.deeplearning4j.optimize.listeners.callbacks.EvaluationCallback;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.slt4j.platform.BlasDiagnostics;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.FailureRecord;
import org.slt4j.report.InMemorySink;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.MetricRecord;
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
 * <p>This class runs the lifecycle and decides what runs when; the background thread, the failure policy, the
 * sinks and the settings are package-private collaborators.
 *
 * <h2>Per training callback</h2>
 * In {@code iterationDone(model, i, epoch)}: at the first callback the {@link RunHeader} is written and the
 * budget's clock starts; the loss is recorded when the loss schedule fires (by default at every iteration); then
 * every diagnostic whose {@link Schedule} fires at i runs. In {@code onEpochEnd}, diagnostics with an epoch
 * schedule run, stamped with the epoch's last iteration.
 *
 * <h2>The loss</h2>
 * A {@link LossRecord} holds DL4J's score ({@code model.score()}: the minibatch loss plus the regularization
 * terms) and the data loss, the score without them. DL4J computes the regularization terms inside the score and
 * then calls {@code onGradientCalculation}, before the update; there this listener takes the same term: a
 * MultiLayerNetwork's output layer keeps the term it added (read in nanoseconds); for other models and output
 * layers the listener calls DL4J's {@code calcRegularizationScore(true)} at the same parameters, which repeats
 * DL4J's computation to the bit and costs a few percent of a step with weight decay or L1/L2. The
 * data loss is then the score less that number, exact to the rounding of one double subtraction (a score of
 * 3,600.01 with a penalty of 3,600 gives back 0.01 to about 1e-12). Subtracting a penalty computed after the
 * update instead would be wrong by the update's change of the penalty. Where DL4J does not call
 * {@code onGradientCalculation} (a training loop of its own), the data loss is NaN and readers fall back to the
 * score.
 *
 * <h2>Synchronous and asynchronous modes</h2>
 * Synchronous (the default): the diagnostic runs inside the callback; training waits. Asynchronous
 * ({@code async(true)} on the builder): inside the callback only a snapshot is taken (the parameters are
 * copied, detached from workspaces), and the diagnostic runs on the listener's single background thread; its
 * records carry the snapshot's iteration. At most {@code maxPending} diagnostics are queued or running; a
 * diagnostic scheduled while that many are pending is <b>skipped</b> (a {@link SkipRecord} with reason
 * {@code QUEUE_FULL}), never queued unboundedly and never replacing an older one.
 * Call {@link #awaitCompletion()} or {@link #close()} after {@code fit()} so the last results are written.
 *
 * <h2>Failures</h2>
 * An exception thrown by a diagnostic or a sink, and an LLC estimate that is NaN (every chain diverged), are
 * logged at WARN the first time for each diagnostic or sink (later ones at DEBUG), recorded as a
 * {@link FailureRecord}, and training goes on. With {@code failOnError(true)} they are thrown instead as an
 * {@link IllegalStateException}: from the callback in synchronous mode, from the next callback,
 * {@link #awaitCompletion()} or {@link #close()} in asynchronous mode.
 *
 * <h2>Routing</h2>
 * Implements DL4J's {@link RoutingIterationListener}: {@link #setStorageRouter} makes it post its records to a
 * StatsStorage (as {@link StatsStorageSink} does) under its session and worker IDs, the way StatsListener does.
 * Session and worker IDs are fixed by the run header at the first callback.
 *
 * <h2>Trainers</h2>
 * <ul>
 *   <li>DL4J's {@code EarlyStoppingTrainer} and {@code EarlyStoppingGraphTrainer} fit the model one minibatch
 *       at a time and call the model's listeners' {@code onEpochStart} and {@code onEpochEnd} themselves: attach
 *       the listener to the model ({@code net.setListeners(listener)}) before building the trainer; iterations
 *       and epochs are the model's. Their in-memory model saver keeps {@code clone()}s of the model; a
 *       ComputationGraph's clone shares its listener list, so the best model returned still carries the
 *       listener.</li>
 *   <li>DL4J's {@code ParallelWrapper} never calls the listener it is given: at each {@code fit} call each
 *       worker takes a {@link #clone()} (DL4J clones every {@link RoutingIterationListener}), gives it its worker
 *       ID (the same at every {@code fit} call of one wrapper) and calls it from its own thread with its own copy
 *       of the model; the first worker's copy is the model itself. The clones write to this listener's sinks and
 *       history, a worker's clones continue one run, and {@link #close()} on this listener closes them. Each worker
 *       counts its own iterations: the first from the model's count, the others from the count their copy had
 *       when it was made, which depends on timing (DL4J copies the model on the worker's thread while the first
 *       worker may already train it; for the same reason DL4J's own parallel run is not reproducible). The workers
 *       fit one minibatch at a time and DL4J calls no epoch callback, so epoch schedules
 *       ({@link Schedule#everyNEpochs(int)}) never fire there: use iteration schedules. After {@code fit} returns
 *       the model keeps the first worker's clone as its listener.</li>
 * </ul>
 * In every case call {@link #close()} after the trainer returns.
 *
 * <p>Each listener (each clone) is called back by one training thread; sinks are called one record at a time,
 * even when clones share them.
 */
public abstract class DiagnosticsListener extends BaseTrainingListener
        implements RoutingIterationListener, AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final Field REGULARIZATION_TERM = regularizationTermField();

    private final transient ListenerSettings settings;
    private final transient List<Task> tasks;
    private final transient InMemorySink history;
    private final transient OverheadBudget budget;
    private final transient DiagnosticsExecutor executor;
    private final transient FailurePolicy failures;
    private final transient SinkFanOut sinks;
    /** The listener built by a builder that this one is a clone of; null for that listener itself. */
    private final transient DiagnosticsListener origin;
    /** On the origin: every clone made of it or of its clones, to close with it. */
    private final transient List<DiagnosticsListener> clones = new CopyOnWriteArrayList<>();
    private final transient AtomicInteger cloneNumbers = new AtomicInteger();
    /** On the origin: the first clone given each worker ID, whose run later clones of that worker continue. */
    private final transient Map<String, DiagnosticsListener> clonesByWorker = new ConcurrentHashMap<>();
    /** The earlier clone with this clone's worker ID, to which it forwards the training callbacks; or null. */
    private transient volatile DiagnosticsListener predecessor;
    private String sessionId;
    private String workerId;
    private transient boolean started;
    private transient volatile boolean closed;
    private transient long lastIteration = -1;
    private transient int lastEpoch;
    /** The regularization terms of the score about to be reported, taken at the gradient calculation; or NaN. */
    private transient double pendingRegularization = Double.NaN;

    /**
     * @param origin the listener this one is a clone of (see {@link #clone()}), whose history and sinks it
     *               writes to; null for a listener a builder builds
     */
    DiagnosticsListener(ListenerSettings settings, List<Task> tasks, DiagnosticsListener origin) {
        this.settings = settings;
        this.origin = origin;
        this.tasks = List.copyOf(tasks);
        this.budget = new OverheadBudget(settings.overheadBudget, settings.clock, this.tasks);
        this.executor = new DiagnosticsExecutor(settings.maxPending);
        this.failures = new FailurePolicy(settings.clock, settings.failOnError, executor::isBackgroundThread);
        this.sessionId = settings.sessionId != null ? settings.sessionId : UUID.randomUUID().toString();
        this.workerId = settings.workerId != null ? settings.workerId
                : "worker-" + UUID.randomUUID().toString().substring(0, 8);
        this.history = origin != null ? origin.history : settings.keepHistory ? new InMemorySink() : null;
        List<DiagnosticsSink> all = new ArrayList<>();
        if (history != null) {
            all.add(history);
        }
        all.addAll(settings.sinks);
        this.sinks = new SinkFanOut(all, origin != null, this::sinkFailed);
        if (settings.router != null) {
            setStorageRouter(settings.router);
        }
        BlasDiagnostics.checkOnce();
    }

    /** A listener of the same kind with the same settings and fresh state (see {@link #clone()}). */
    abstract DiagnosticsListener newInstance(ListenerSettings settings, List<Task> tasks, DiagnosticsListener origin);

    /**
     * Everything this listener and its clones (see {@link #clone()}) recorded so far, as a run history (an
     * asynchronous diagnostic still running is not in it yet; see {@link #awaitCompletion()}).
     *
     * @throws IllegalStateException if the listener was built with {@code keepHistory(false)}
     */
    public RunHistory history() {
        Preconditions.checkState(history != null,
                "history is not kept: the listener was built with keepHistory(false)");
        return history.history();
    }

    /**
     * Takes the regularization terms of the score that DL4J has just computed, at the parameters it computed them
     * at (the update comes after this callback), when the loss schedule fires at this iteration.
     */
    @Override
    public void onGradientCalculation(Model model) {
        if (predecessor != null) {
            predecessor.onGradientCalculation(model);
            return;
        }
        long iteration = iterationCount(model);
        pendingRegularization = iteration < 0 || settings.lossSchedule.firesAtIteration(iteration)
                ? regularizationOfTheScore(model) : Double.NaN;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (predecessor != null) {
            predecessor.iterationDone(model, iteration, epoch);
            return;
        }
        failures.throwIfFatal();
        start(model);
        lastIteration = iteration;
        lastEpoch = epoch;
        double regularization = pendingRegularization;
        pendingRegularization = Double.NaN;
        if (settings.lossSchedule.firesAtIteration(iteration)) {
            double score = model.score();
            sinks.write(new LossRecord(iteration, epoch, settings.clock.instant(), score, score - regularization));
        }
        for (Task task : tasks) {
            if (task.schedule().firesAtIteration(iteration)) {
                run(task, model, iteration, epoch);
            }
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        if (predecessor != null) {
            predecessor.onEpochEnd(model);
            return;
        }
        failures.throwIfFatal();
        start(model);
        int epoch = epochOf(model);
        for (Task task : tasks) {
            if (task.schedule().firesAtEpochEnd(epoch)) {
                run(task, model, Math.max(lastIteration, 0), epoch);
            }
        }
        // Sinks that hold records back (the StatsStorage sink's loss) hand them over at every epoch's end, so a
        // run that ends without close() keeps its last epoch's records.
        sinks.flush();
    }

    /**
     * Runs every diagnostic of this listener now on a model that is not training - a checkpoint or a saved model -
     * as if at iteration {@code iteration} of epoch {@code epoch}: synchronously, whatever the schedules, the
     * overhead budget and the mode, with the same records, sinks and failure handling as during training. The first
     * call writes the run header. Call it in iteration order (for example over the checkpoints of a finished run,
     * as {@code slt4j checkpoints} does), so that LLC calibration segments start at the first model and symmetry
     * events are found across the models; not while the listener is attached to a model that trains.
     *
     * @param score the model's score at this point, with its regularization terms, as DL4J's
     *              {@code score(DataSet)} computes it at the model's current parameters; recorded as a loss record
     *              with the data loss (the score less the model's regularization terms); NaN records none
     * @throws IllegalStateException with {@code failOnError(true)}, if a diagnostic or sink failed
     */
    public void measure(Model model, long iteration, int epoch, double score) {
        Objects.requireNonNull(model, "model");
        Preconditions.checkArgument(iteration >= 0, "iteration must be >= 0 (got: %s)", iteration);
        failures.throwIfFatal();
        start(model);
        lastIteration = iteration;
        lastEpoch = epoch;
        if (!Double.isNaN(score)) {
            sinks.write(new LossRecord(iteration, epoch, settings.clock.instant(), score,
                    score - regularization(model)));
        }
        for (Task task : tasks) {
            Task.Work work;
            try {
                work = task.snapshot(model, iteration, epoch);
            } catch (RuntimeException e) {
                failures.diagnosticFailed(task, iteration, epoch, e, sinks::write);
                continue;
            }
            execute(task, work, iteration, epoch, 1, false);
        }
    }

    /**
     * Records a number of yours beside the diagnostics - test accuracy, test loss, F1, anything - as a
     * {@link MetricRecord} at the last iteration this listener saw. Call it on the training thread between
     * {@code fit} calls, or from another listener's callback; for DL4J's {@code EvaluativeListener}, use
     * {@link #evaluationMetrics(String)} instead. The page charts it beside the LLC, the report draws it, and
     * baselines and {@code slt4j check} compare it as {@code metric:NAME}.
     *
     * @param name  the metric's name (see {@link MetricRecord}: not blank, no {@code @}, no control characters)
     * @param value its value; NaN and infinities are recorded as they are
     * @throws IllegalArgumentException if the name breaks that rule
     * @throws IllegalStateException    before the first training callback (there is no iteration yet) or after
     *                                  {@link #close()}
     */
    public void metric(String name, double value) {
        MetricRecord.checkName(name);
        Preconditions.checkState(started, "metric(\"%s\", ...) records at the last iteration this listener saw, and it "
                + "has seen none yet: call it once training has started", name);
        Preconditions.checkState(!closed, "metric(\"%s\", ...) called after close()", name);
        sinks.write(new MetricRecord(Math.max(lastIteration, 0), lastEpoch, settings.clock.instant(), name, value));
    }

    /**
     * A callback for DL4J's {@code EvaluativeListener} ({@code evaluative.setCallback(...)}) that records each
     * evaluation as user metrics named after the data set: for an {@link Evaluation}, {@code "NAME accuracy"},
     * {@code "NAME precision"}, {@code "NAME recall"} and {@code "NAME F1"} (DL4J's: macro-averaged over classes,
     * class 1 for binary ones); for a {@link RegressionEvaluation}, {@code "NAME MSE"}, {@code "NAME MAE"} and
     * {@code "NAME R2"} (averaged over the output columns). Other evaluation kinds are not recorded. Each value is
     * stamped with the iteration whose parameters were evaluated: the model's current one at an iteration's end,
     * the epoch's last at an epoch's start or end. A metric that DL4J fails to compute is recorded as NaN.
     *
     * @param dataSetName the evaluation data's name, e.g. {@code "test"}
     * @throws IllegalArgumentException if the metric names it makes would break {@link MetricRecord}'s rule
     */
    public EvaluationCallback evaluationMetrics(String dataSetName) {
        MetricRecord.checkName(dataSetName + " accuracy");
        return (evaluative, model, invocations, evaluations) -> {
            long count = iterationCount(model);
            long iteration = evaluative.getInvocationType() == InvocationType.ITERATION_END ? count : count - 1;
            start(model);
            for (IEvaluation<?> evaluation : evaluations) {
                if (evaluation instanceof Evaluation e) {
                    recordMetric(iteration, model, dataSetName + " accuracy", e::accuracy);
                    recordMetric(iteration, model, dataSetName + " precision", e::precision);
                    recordMetric(iteration, model, dataSetName + " recall", e::recall);
                    recordMetric(iteration, model, dataSetName + " F1", e::f1);
                } else if (evaluation instanceof RegressionEvaluation r) {
                    recordMetric(iteration, model, dataSetName + " MSE", r::averageMeanSquaredError);
                    recordMetric(iteration, model, dataSetName + " MAE", r::averageMeanAbsoluteError);
                    recordMetric(iteration, model, dataSetName + " R2", r::averageRSquared);
                }
            }
        };
    }

    private void recordMetric(long iteration, Model model, String name, DoubleSupplier value) {
        double v;
        try {
            v = value.getAsDouble();
        } catch (RuntimeException e) {
            v = Double.NaN;
        }
        sinks.write(new MetricRecord(Math.max(iteration, 0), epochOf(model), settings.clock.instant(), name, v));
    }

    /**
     * Waits until every pending asynchronous diagnostic of this listener and of its clones has finished and its
     * records are written, then has the sinks hand over the records they hold back (a StatsStorage sink holds the
     * loss back for up to a second: see {@link StatsStorageSink}), so that everything recorded so far can be read.
     *
     * @throws IllegalStateException with {@code failOnError(true)}, if a diagnostic or sink failed
     */
    public void awaitCompletion() {
        for (DiagnosticsListener clone : clones) {
            clone.awaitCompletion();
        }
        executor.awaitCompletion();
        sinks.flush();
        failures.throwIfFatal();
    }

    /**
     * Ends the run's diagnostics: waits for the pending ones ({@link #awaitCompletion()}) of this listener and of
     * every clone made of it (see {@link #clone()}), stops their background threads and waits until those have
     * ended, then closes the sinks given to the builder and the StatsStorage router's sink (it hands over the loss
     * it held back; the router itself stays open: it is yours), so that no slt4j thread and no open file is left.
     * Call it once training is over: after {@code fit()} returns, or after the trainer that runs the model returns
     * ({@code EarlyStoppingTrainer.fit()}, {@code ParallelWrapper.fit(...)}: the clones that ParallelWrapper makes
     * are closed here too). Records a clone writes after this are failures of closed sinks.
     * On a clone, it ends only that clone's diagnostics and closes only the StatsStorage sinks of its own (see
     * {@link #clone()}), leaving the shared sinks open. Idempotent.
     *
     * @throws IllegalStateException with {@code failOnError(true)}, if a diagnostic or sink of this listener or of
     *                               a clone failed (the first failure; everything is closed all the same)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        // The clones first: their last records go to the sinks closed below.
        for (DiagnosticsListener clone : clones) {
            failure = attempt(clone::close, failure);
        }
        failure = attempt(this::awaitCompletion, failure);
        executor.shutdown();
        sinks.close(origin == null);
        if (failure != null) {
            throw failure;
        }
    }

    /** Runs the step; returns the earlier failure, or else the step's own, so that later steps still run. */
    private static RuntimeException attempt(Runnable step, RuntimeException earlier) {
        try {
            step.run();
            return earlier;
        } catch (RuntimeException e) {
            if (earlier == null) {
                return e;
            }
            earlier.addSuppressed(e);
            return earlier;
        }
    }

    @Override
    public void setStorageRouter(StatsStorageRouter router) {
        sinks.router(router);
    }

    @Override
    public StatsStorageRouter getStorageRouter() {
        return sinks.router();
    }

    /**
     * Sets the worker ID; takes effect only before the first training callback. A clone given the worker ID of an
     * earlier clone continues that clone's run (see {@link #clone()}).
     */
    @Override
    public void setWorkerID(String workerID) {
        this.workerId = Objects.requireNonNull(workerID, "workerID");
        if (origin != null && !started) {
            DiagnosticsListener earlier = origin.clonesByWorker.putIfAbsent(workerID, this);
            predecessor = earlier == this ? null : earlier;
        }
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
     * A listener for another copy of the model that trains at the same time, as DL4J's ParallelWrapper makes one
     * per worker at each {@code fit} call: the same settings, sinks, router and session ID; its own worker ID (this
     * one's followed by {@code -N}; ParallelWrapper then sets its worker's); fresh diagnostics state, its own
     * background thread and its own run header. Its records go to the same sinks and to this listener's
     * {@link #history()} (a sink is written by one listener at a time, so no record is lost or interleaved);
     * they carry no worker ID, except in a StatsStorage, where each clone posts under its own (a
     * {@link StatsStorageSink} given to the builder is copied for each clone, as the router's sink is).
     *
     * <p>A clone that is given, before its first training callback, the worker ID of an earlier clone of the same
     * listener continues that clone's run instead: it forwards the training callbacks to it, so a worker keeps one
     * run header, one background thread and its diagnostics' state (LLC calibration, symmetry events) across
     * ParallelWrapper's {@code fit} calls, as in an epoch loop or DL4J's {@code EarlyStoppingParallelTrainer}. The
     * two must not train at the same time (ParallelWrapper's calls never overlap).
     *
     * <p>{@link #close()} on the listener built by the builder closes every clone made of it. Thread-safe:
     * ParallelWrapper's workers clone at the same time.
     */
    @Override
    public DiagnosticsListener clone() {
        DiagnosticsListener root = origin != null ? origin : this;
        List<Task> fresh = tasks.stream().map(Task::fresh).toList();
        DiagnosticsListener copy = newInstance(settings, fresh, root);
        copy.setSessionID(sessionId);
        copy.setWorkerID(workerId + "-" + root.cloneNumbers.incrementAndGet());
        copy.setStorageRouter(getStorageRouter());
        root.clones.add(copy);
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
        sinks.write(new RunHeader(RecordJson.SCHEMA_VERSION, sessionId, workerId, settings.clock.instant(),
                model.getClass().getSimpleName(), model.numParams(), layers, settings.trainingSetSize, described));
    }

    /** Runs the task now, queues it, or records why it is skipped. */
    private void run(Task task, Model model, long iteration, int epoch) {
        if (budget.needsFirstRunCost(task)) {
            Instant start = settings.clock.instant();
            try {
                budget.firstRunCost(task, task.leastFirstRunCost(model));
            } catch (RuntimeException e) {
                // The snapshot fails the same way and records it; with nothing to predict from, the run is allowed.
                budget.firstRunCost(task, Task.Cost.UNKNOWN);
            } finally {
                budget.spend(task, Duration.between(start, settings.clock.instant()));
            }
        }
        if (!budget.allows(task, !settings.async)) {
            sinks.write(new SkipRecord(iteration, epoch, settings.clock.instant(), task.kind(),
                    SkipRecord.Reason.OVER_BUDGET, budget.describe(task)));
            return;
        }
        if (settings.async && executor.isFull()) {
            sinks.write(new SkipRecord(iteration, epoch, settings.clock.instant(), task.kind(),
                    SkipRecord.Reason.QUEUE_FULL, executor.describeFull()));
            return;
        }
        Instant start = settings.clock.instant();
        Task.Work work;
        try {
            work = task.snapshot(model, iteration, epoch);
        } catch (RuntimeException e) {
            failures.diagnosticFailed(task, iteration, epoch, e, sinks::write);
            return;
        } finally {
            budget.spend(task, Duration.between(start, settings.clock.instant()));
        }
        if (!settings.async) {
            execute(task, work, iteration, epoch, 1, true);
            return;
        }
        executor.submit(() -> {
            budget.began(task);
            execute(task, work, iteration, epoch, task.threads(), true);
        });
    }

    /**
     * Runs the work (within the overhead budget's allowance when {@code budgeted}; a run the user asked for with
     * {@link #measure} has none), accounts its cost, writes its records; failures go to the failure policy.
     */
    private void execute(Task task, Task.Work work, long iteration, int epoch, int costThreads, boolean budgeted) {
        Instant start = settings.clock.instant();
        Optional<Duration> allowance = budgeted ? budget.allowance(task, costThreads) : Optional.empty();
        Task.Result result = null;
        try {
            result = work.run(settings.clock, allowance);
        } catch (RuntimeException e) {
            failures.diagnosticFailed(task, iteration, epoch, e, sinks::write);
            return;
        } finally {
            budget.ended(task, Duration.between(start, settings.clock.instant()), costThreads,
                    result != null && result.cut());
        }
        List<TrainingRecord> records = result.records();
        records.forEach(sinks::write);
        for (TrainingRecord r : records) {
            if (r instanceof LlcRecord l && Double.isNaN(l.estimate().mean())) {
                failures.diagnosticFailed(task, iteration, epoch, FailurePolicy.nonFinite(
                        "LLC estimate is NaN: " + String.join("; ", l.estimate().warnings())), sinks::write);
            }
        }
    }

    /**
     * A sink failed: the failure is stamped with the record's iteration, or the last one for a header or when the
     * sink failed to hand over held-back records (no record).
     */
    private void sinkFailed(DiagnosticsSink failing, DiagnosticRecord record, RuntimeException e) {
        long iteration = record instanceof TrainingRecord t ? t.iteration() : Math.max(lastIteration, 0);
        int epoch = record instanceof TrainingRecord t ? t.epoch() : lastEpoch;
        failures.sinkFailed(failing, record, e, iteration, epoch, f -> sinks.writeExcept(failing, f));
    }

    /** The model's iteration count (the iteration the next {@code iterationDone} reports), or -1 if unknown. */
    private static long iterationCount(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getIterationCount();
        }
        return model instanceof ComputationGraph graph ? graph.getIterationCount() : -1;
    }

    /**
     * The regularization term DL4J added to the score it has just computed: for a MultiLayerNetwork whose output
     * layer is a {@code BaseOutputLayer}, read from that layer, which keeps it (a field read, where computing it
     * again cost 5-7% of a training step on an MLP with weight decay, measured at 50,000 and 1.3 million
     * parameters); otherwise computed again as {@link #regularization(Model)} does.
     */
    private static double regularizationOfTheScore(Model model) {
        try {
            // Only a MultiLayerNetwork's: a ComputationGraph's output layer reads 0 there after its score (measured).
            org.deeplearning4j.nn.api.Layer output = model instanceof MultiLayerNetwork net ? net.getOutputLayer()
                    : null;
            if (REGULARIZATION_TERM != null && output instanceof BaseOutputLayer<?>) {
                return REGULARIZATION_TERM.getDouble(output);
            }
        } catch (IllegalAccessException | RuntimeException e) {
            // An output that is no layer, or a field DL4J locked: compute the term instead.
        }
        return regularization(model);
    }

    /** DL4J's {@code BaseOutputLayer.fullNetRegTerm}, the regularization term of its last score; null if absent. */
    private static Field regularizationTermField() {
        try {
            Field field = BaseOutputLayer.class.getDeclaredField("fullNetRegTerm");
            field.setAccessible(true);
            return field.getType() == double.class ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The regularization terms DL4J adds to the score at the model's current parameters (the same computation, so
     * the same double, as inside its score); NaN for other models, or if DL4J fails to compute it.
     */
    private static double regularization(Model model) {
        try {
            if (model instanceof MultiLayerNetwork net) {
                return net.calcRegularizationScore(true);
            }
            return model instanceof ComputationGraph graph ? graph.calcRegularizationScore(true) : Double.NaN;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static int epochOf(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getEpochCount();
        }
        return model instanceof ComputationGraph graph ? graph.getEpochCount() : 0;
    }
}
