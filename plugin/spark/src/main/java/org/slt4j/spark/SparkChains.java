package org.slt4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.slt4j.cli.CheckpointCurve;
import org.slt4j.llc.ChainPlan;
import org.slt4j.llc.ChainProgress;
import org.slt4j.llc.ChainRunner;

/**
 * The chains of the estimates of the checkpoint being measured, run as Spark tasks: one job per round of an
 * estimate (or of a calibration setting), one task per chain. A task copies the checkpoint's model zip, loads it,
 * builds the surface the listener samples ({@link CheckpointCurve#surface}) and replays the chain's plan. The
 * driver's listener decides the rounds from the pooled progress, so the records are the command line's.
 * Used by one thread, which sets the checkpoint before measuring it.
 */
final class SparkChains implements ChainRunner {
    private final JavaSparkContext sc;
    private final Broadcast<CheckpointCurve> curve;
    private final Broadcast<SerializableWritable<Configuration>> conf;
    private final UnaryOperator<Function<ChainTask, ChainProgress>> decorate;
    private CheckpointFile checkpoint;
    private long tasks;

    SparkChains(JavaSparkContext sc, Broadcast<CheckpointCurve> curve,
            Broadcast<SerializableWritable<Configuration>> conf,
            UnaryOperator<Function<ChainTask, ChainProgress>> decorate) {
        this.sc = sc;
        this.curve = curve;
        this.conf = conf;
        this.decorate = decorate;
    }

    /** The checkpoint whose estimates' chains the next rounds run. */
    void measuring(CheckpointFile checkpoint) {
        this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
    }

    /** Spark tasks run so far (one per chain and round). */
    long tasks() {
        return tasks;
    }

    @Override
    public List<ChainProgress> run(List<ChainPlan> plans) {
        if (plans.isEmpty()) {
            return List.of();
        }
        List<ChainTask> work = plans.stream().map(plan -> new ChainTask(checkpoint, plan)).toList();
        tasks += work.size();
        return sc.parallelize(work, work.size()).map(decorate.apply(new RunChain(curve, conf))).collect();
    }

    /**
     * One task: a chain's plan and the checkpoint whose surface it samples.
     *
     * @param checkpoint the checkpoint
     * @param plan       the chain's plan
     */
    record ChainTask(CheckpointFile checkpoint, ChainPlan plan) implements Serializable {
    }

    /** Replays a chain on its checkpoint's surface, on an executor. */
    static final class RunChain implements Function<ChainTask, ChainProgress> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<CheckpointCurve> curve;
        private final Broadcast<SerializableWritable<Configuration>> conf;

        RunChain(Broadcast<CheckpointCurve> curve, Broadcast<SerializableWritable<Configuration>> conf) {
            this.curve = curve;
            this.conf = conf;
        }

        @Override
        public ChainProgress call(ChainTask task) throws IOException {
            java.nio.file.Path local = new CheckpointFiles(conf.value().value()).fetch(task.checkpoint());
            try {
                return task.plan().run(curve.value().surface(local));
            } finally {
                Files.deleteIfExists(local);
            }
        }
    }
}
