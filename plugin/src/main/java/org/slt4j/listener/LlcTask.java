package org.slt4j.listener;

import com.google.common.base.Preconditions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.LlcRecord;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;

/**
 * The LLC diagnostic: the loss surface built at the scheduled iteration is the parameter snapshot; the estimate
 * at iteration i uses the seed {@code config.seed() + i}, recorded in its config.
 */
final class LlcTask implements Task {
    private final LlcConfig config;
    private final ListenerData data;
    private final Schedule schedule;
    private final Function<LlcConfig, Function<LossSurface, LlcEstimate>> estimators;

    LlcTask(LlcConfig config, ListenerData data, Schedule schedule,
            Function<LlcConfig, Function<LossSurface, LlcEstimate>> estimators) {
        this.config = config;
        this.data = data;
        this.schedule = schedule;
        this.estimators = estimators;
    }

    /** The real estimator. */
    static Function<LlcConfig, Function<LossSurface, LlcEstimate>> estimator() {
        return c -> new LlcEstimator(c)::estimate;
    }

    @Override
    public Diagnostic kind() {
        return Diagnostic.LLC;
    }

    @Override
    public Schedule schedule() {
        return schedule;
    }

    @Override
    public int threads() {
        return Math.min(config.threads(), config.chains());
    }

    @Override
    public void describe(Map<String, String> settings) {
        settings.put("llc.schedule", schedule.toString());
        settings.put("llc.config", config.toString());
        settings.put("llc.dataSize", Long.toString(data.size()));
    }

    @Override
    public Task fresh() {
        return this;
    }

    @Override
    public Work snapshot(Model model, long iteration, int epoch) {
        LossSurface surface;
        if (model instanceof MultiLayerNetwork net) {
            surface = NetworkSurfaces.of(net, data.asDataSet());
        } else if (model instanceof ComputationGraph graph) {
            surface = NetworkSurfaces.ofGraph(graph, List.of(data.asMultiDataSet()));
        } else {
            throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph (got: "
                    + model.getClass().getName() + ")");
        }
        LlcConfig seeded = config.toBuilder().seed(config.seed() + iteration).build();
        Function<LossSurface, LlcEstimate> estimator = estimators.apply(seeded);
        return clock -> List.of(LlcRecord.of(estimator.apply(surface), iteration, epoch, clock.instant()));
    }

    /** The LLC settings of a listener builder, validated and turned into a task at build time. */
    static final class Spec {
        private final Supplier<ListenerData> data;
        private final long trainingSetSize;
        Schedule schedule = Schedule.logSpaced(4);
        LlcConfig config;
        Function<LlcConfig, Function<LossSurface, LlcEstimate>> estimators = estimator();

        Spec(Supplier<ListenerData> data, long trainingSetSize) {
            this.data = Preconditions.checkNotNull(data, "data");
            this.trainingSetSize = trainingSetSize;
        }

        long trainingSetSize() {
            return trainingSetSize;
        }

        LlcTask task() {
            Preconditions.checkArgument(trainingSetSize >= 2, "trainingSetSize must be >= 2 (got: %s)",
                    trainingSetSize);
            LlcConfig resolved = config != null ? config : LlcConfig.builder().trainingSetSize(trainingSetSize).build();
            Preconditions.checkArgument(resolved.trainingSetSize().orElse(trainingSetSize) == trainingSetSize,
                    "config trainingSetSize must equal the listener's trainingSetSize %s (got: %s)", trainingSetSize,
                    resolved.trainingSetSize().orElse(0));
            return new LlcTask(resolved, data.get(), schedule, estimators);
        }
    }
}
