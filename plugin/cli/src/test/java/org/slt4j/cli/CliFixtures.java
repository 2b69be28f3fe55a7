package org.slt4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.testing.TinyNetworks;
import org.slt4j.testkit.DeepLinearNetworks;

/** Real files for CLI tests: tiny trained models saved with ModelSerializer and CSVs written from generated data. */
final class CliFixtures {

    /** Fast estimator settings for tests: every setting given, so no calibration runs. */
    static final String[] FAST = {"--chains", "2", "--draws", "20", "--burn-in", "10", "--batch-size", "16",
        "--eps", "1e-4", "--gamma", "100"};

    /**
     * Fast settings for tests of the calibration: the step size and localization automatic, the burn-in and draws
     * given, and the smallest step cap, which keeps the calibration to a few short runs (the estimate is not the
     * point).
     */
    static final String[] FAST_CALIBRATION = {"--chains", "2", "--draws", "20", "--burn-in", "10", "--batch-size",
        "16", "--max-steps-per-chain", "100"};

    private CliFixtures() {
    }

    /** The 4-8-3 classifier of {@link TinyNetworks}, trained a little on blobs, saved as a zip. */
    static Path classifierZip(Path dir) throws IOException {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 7);
        DataSet data = TinyNetworks.blobs(60, 3);
        for (int i = 0; i < 20; i++) {
            net.fit(data);
        }
        return save(net, dir.resolve("classifier.zip"));
    }

    /** The same classifier as a ComputationGraph, trained a little, saved as a zip. */
    static Path graphZip(Path dir) throws IOException {
        ComputationGraph graph = TinyNetworks.classifierGraph(WorkspaceMode.ENABLED, 7);
        DataSet data = TinyNetworks.blobs(60, 3);
        for (int i = 0; i < 20; i++) {
            graph.fit(data);
        }
        return save(graph, dir.resolve("graph.zip"));
    }

    /** A directory written by CheckpointListener: the classifier saved at iterations 5, 10 and 15 on blobs. */
    static Path checkpointDir(Path dir) throws IOException {
        return TinyNetworks.checkpointDir(dir, 5, 16);
    }

    /**
     * Checkpoints of a reduced rank regression (3-3-3, rank 1) at its exact minimum, with its noiseless teacher
     * data as CSV (3 features, 3 targets) beside them: training does not move it, so a stable step size exists.
     */
    static Path minimumCheckpointDir(Path dir) throws IOException {
        Path checkpoints = Files.createDirectories(dir.resolve("minimum"));
        MultiLayerNetwork net = DeepLinearNetworks.atRank(new int[] {3, 3, 3}, 1, 1);
        DataSet data = DeepLinearNetworks.teacherData(net, 500, 2);
        net.setListeners(new CheckpointListener.Builder(checkpoints.toFile()).keepAll().saveEveryNIterations(1)
                .build());
        for (int i = 0; i < 3; i++) {
            net.fit(data);
        }
        teacherCsv(data, checkpoints.resolve("teacher.csv"));
        return checkpoints;
    }

    /**
     * The same reduced rank regression at its exact minimum saved as {@code minimum.zip}, with its 500 teacher rows
     * as {@code teacher.csv} beside it: an easy surface, on which an estimate can be reliable.
     */
    static Path minimumZip(Path dir) throws IOException {
        MultiLayerNetwork net = DeepLinearNetworks.atRank(new int[] {3, 3, 3}, 1, 1);
        teacherCsv(DeepLinearNetworks.teacherData(net, 500, 2), dir.resolve("teacher.csv"));
        return save(net, dir.resolve("minimum.zip"));
    }

    private static void teacherCsv(DataSet data, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < data.numExamples(); r++) {
            StringBuilder line = new StringBuilder();
            for (INDArray row : List.of(data.getFeatures().getRow(r), data.getLabels().getRow(r))) {
                for (int c = 0; c < row.length(); c++) {
                    line.append(line.length() == 0 ? "" : ",").append(row.getDouble(c));
                }
            }
            lines.add(line.toString());
        }
        Files.write(file, lines);
    }

    /**
     * Models the tool must refuse, each saved as a zip named after it: {@code no-loss.zip} and
     * {@code graph-no-loss.zip}, {@link TinyNetworks#withoutLoss()} and {@link TinyNetworks#graphWithoutLoss()};
     * {@code two-inputs.zip}, a graph with two inputs; {@code newer-layer.zip}, the classifier whose configuration
     * names a layer class this DL4J lacks (as a newer DL4J writes).
     */
    static void badModels(Path dir) throws IOException {
        save(TinyNetworks.withoutLoss(), dir.resolve("no-loss.zip"));
        save(TinyNetworks.graphWithoutLoss(), dir.resolve("graph-no-loss.zip"));
        ComputationGraph twoInputs = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).graphBuilder().addInputs("a", "b")
                .addVertex("both", new MergeVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "both")
                .setOutputs("out").setInputTypes(InputType.feedForward(2), InputType.feedForward(2)).build());
        twoInputs.init();
        save(twoInputs, dir.resolve("two-inputs.zip"));
        Path classifier = classifierZip(dir);
        try (ZipFile in = new ZipFile(classifier.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(dir.resolve("newer-layer.zip")))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().equals(ModelSerializer.CONFIGURATION_JSON)) {
                    bytes = new String(bytes, StandardCharsets.UTF_8).replace(DenseLayer.class.getName() + "\"",
                            DenseLayer.class.getName() + "V2\"").getBytes(StandardCharsets.UTF_8);
                }
                out.write(bytes);
            }
        }
    }

    static Path save(Model model, Path file) throws IOException {
        ModelSerializer.writeModel(model, file.toFile(), false);
        return file;
    }

    /** Blobs as CSV rows: 4 feature columns, then the class index. */
    static Path blobsCsv(Path dir, int rows) throws IOException {
        return TinyNetworks.blobsCsv(dir.resolve("blobs.csv"), rows);
    }

    static Path csv(Path dir, String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines);
    }
}
