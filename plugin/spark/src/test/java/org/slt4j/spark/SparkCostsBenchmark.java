package org.slt4j.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.cli.CheckpointCurve;
import org.slt4j.llc.ChainProgress;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.surface.LossSurface;

/**
 * The costs behind docs/spark.md's section on scale: per model, the bytes broadcast (the serialized
 * {@link CheckpointCurve}) against the bytes of the data, the model zip, the per-task cost of copying and loading
 * a checkpoint and building its surface, the bytes a chain task sends back per draw, and Spark's own cost per
 * task in local mode. Prints Markdown. Args: {@code [rows of the large data (10000)]}.
 */
public final class SparkCostsBenchmark {

    private SparkCostsBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args rows of the large model's data
     */
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("slt4j-spark-costs");
        System.out.printf(Locale.ROOT, "load average at the start %.2f%n%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| model | data | data bytes | broadcast bytes | model zip | copy + load + surface per task "
                + "| chain result per draw |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        measure("MLP 4-8-3 (the fixture's shape)", mlp(4, 8, 3), 48, dir);
        measure("MLP 784-256-256-10", mlp(784, 256, 256, 10), rows, dir);
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]")
                .setAppName("SparkCostsBenchmark"))) {
            List<Integer> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                tasks.add(i);
            }
            sc.parallelize(tasks, 200).map(i -> i).collect();
            long start = System.nanoTime();
            for (int round = 0; round < 5; round++) {
                sc.parallelize(tasks, 200).map(i -> i).collect();
            }
            System.out.printf(Locale.ROOT, "%nSpark local[2]: %.2f ms per empty task (5 jobs of 200 tasks)%n",
                    (System.nanoTime() - start) / 1e6 / 1000);
        }
        System.out.printf(Locale.ROOT, "load average at the end %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void measure(String name, MultiLayerNetwork net, int rows, Path dir) throws Exception {
        long inputs = net.layerInputSize(0);
        long classes = net.layerSize(net.getnLayers() - 1);
        Path zip = dir.resolve("model-" + inputs + ".zip");
        ModelSerializer.writeModel(net, zip.toFile(), false);
        DataSet data = new DataSet(Nd4j.rand(rows, (int) inputs).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE),
                Nd4j.eye(classes).getRows(new java.util.Random(1).ints(rows, 0, (int) classes).toArray())
                        .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
        SparkCheckpoints job = SparkCurve.parse(List.of("--checkpoint", zip.toString(), "--chains", "2",
                "--eps", "1e-6", "--gamma", "100", "--burn-in", "0", "--draws", "2000", "--batch-size", "32"),
                dir.resolve("x.jsonl"));
        CheckpointCurve curve = job.curve.curve(zip, data, "costs", "costs");
        long dataBytes = SparkCurve.bytes(prepared(data, net));
        long broadcast = serialized(curve);

        CheckpointFiles files = new CheckpointFiles(new Configuration());
        CheckpointFile file = new CheckpointFile(new Checkpoint(0, 0, 0, 0, "model", zip.getFileName().toString()),
                zip.toUri().toString());
        double[] millis = new double[7];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            Path local = files.fetch(file);
            LossSurface surface = curve.surface(local);
            surface.newEvaluator().close();
            millis[i] = (System.nanoTime() - start) / 1e6;
            Files.delete(local);
        }
        Arrays.sort(millis);

        LossSurface surface = curve.surface(zip);
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(rows).chains(2).burnInSteps(0).draws(2000)
                .stepSize(1e-6).localization(100).batchSize(32).keepTraces(false).build();
        long[] resultBytes = new long[1];
        new LlcEstimator(config, UnaryOperator.identity(), plans -> {
            List<ChainProgress> done = plans.stream().map(p -> p.run(surface)).toList();
            try {
                resultBytes[0] = serialized(done.get(0));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return done;
        }).estimate(surface);

        System.out.printf(Locale.ROOT, "| %s | %d x %d | %s | %s | %s | %.0f ms (%.0f-%.0f) | %.1f bytes |%n", name,
                rows, inputs, kb(dataBytes), kb(broadcast), kb(Files.size(zip)), millis[3], millis[0], millis[6],
                resultBytes[0] / 2000.0);
    }

    private static DataSet prepared(DataSet data, MultiLayerNetwork net) {
        org.nd4j.linalg.api.buffer.DataType type = net.getLayerWiseConfigurations().getDataType();
        return new DataSet(data.getFeatures().castTo(type), data.getLabels().castTo(type));
    }

    private static String kb(long bytes) {
        return bytes < 10_000 ? bytes + " B" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static long serialized(Serializable value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.size();
    }

    private static MultiLayerNetwork mlp(int... widths) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(1).list();
        for (int i = 0; i < widths.length - 2; i++) {
            list.layer(new DenseLayer.Builder().nIn(widths[i]).nOut(widths[i + 1]).activation(Activation.RELU).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(widths[widths.length - 2])
                .nOut(widths[widths.length - 1]).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }
}
