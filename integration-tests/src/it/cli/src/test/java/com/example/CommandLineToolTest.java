package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The command-line tool, run with java -jar on a model that this project trained and saved. */
class CommandLineToolTest {
    private static final Path CLI_JAR = Path.of("target", "slt4j-cli.jar");

    @TempDir
    Path dir;

    @Test
    void llcAndSymmetryOfASavedModel() throws Exception {
        DataSet data = Tiny.data();
        MultiLayerNetwork net = Tiny.network();
        for (int epoch = 0; epoch < 50; epoch++) {
            net.fit(data);
        }
        Path model = dir.resolve("model.zip");
        ModelSerializer.writeModel(net, model.toFile(), false);
        Path csv = dir.resolve("train.csv");
        writeCsv(data, csv);

        Result llc = run("llc", "--model", model.toString(), "--data", csv.toString(), "--targets", "1",
                "--chains", "2", "--burn-in", "20", "--draws", "30", "--max-steps-per-chain", "400", "--json");
        assertEquals(0, llc.exitCode, llc.stderr);
        assertTrue(llc.stdout.contains("\"reliable\""), llc.stdout);
        assertTrue(llc.stdout.contains("\"calibration\""), "automatic step size and localization: " + llc.stdout);
        Matcher mean = Pattern.compile("\"mean\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(llc.stdout);
        assertTrue(mean.find(), llc.stdout);
        assertTrue(Double.isFinite(Double.parseDouble(mean.group(1))), llc.stdout);

        Result symmetry = run("symmetry", "--model", model.toString(), "--data", csv.toString(), "--targets", "1",
                "--json");
        assertEquals(0, symmetry.exitCode, symmetry.stderr);
        assertTrue(symmetry.stdout.contains("\"layers\""), symmetry.stdout);

        Result missing = run("llc", "--model", dir.resolve("absent.zip").toString(), "--data", csv.toString());
        assertEquals(2, missing.exitCode, "bad input: " + missing.stderr);
    }

    private static void writeCsv(DataSet data, Path csv) throws IOException {
        INDArray x = data.getFeatures();
        INDArray y = data.getLabels();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            rows.add(String.format(Locale.ROOT, "%s,%s,%s,%s", x.getDouble(i, 0), x.getDouble(i, 1),
                    x.getDouble(i, 2), y.getDouble(i, 0)));
        }
        Files.write(csv, rows);
    }

    private Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", CLI_JAR.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        int code = process.waitFor();
        return new Result(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err,
                StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }
}
