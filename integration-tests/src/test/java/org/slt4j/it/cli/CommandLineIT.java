package org.slt4j.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.cli.SltCli;
import org.slt4j.report.RunHistory;
import picocli.CommandLine;

/**
 * The command-line tool's real entry point on real files: a model zip written by ModelSerializer, a CSV written
 * here, a CheckpointListener directory; in-process through picocli, and as {@code java -jar slt4j-cli.jar} when
 * the jar has been built ({@code mvn package}).
 */
class CommandLineIT {
    private static final Path CLI_JAR = Path.of("..", "plugin", "cli", "target", "slt4j-cli.jar");
    private static final String[] FAST = {"--chains", "2", "--draws", "30", "--burn-in", "20", "--batch-size", "32"};

    @TempDir
    static Path dir;
    static Path model;
    static Path csv;
    static Path checkpoints;

    @BeforeAll
    static void files() throws IOException {
        DataSet data = TinyRuns.blobs(TinyRuns.EXAMPLES, 5);
        csv = TinyRuns.csv(data, dir.resolve("blobs.csv"));
        checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        MultiLayerNetwork net = TinyRuns.classifier(8, 1e-4);
        net.setListeners(new CheckpointListener.Builder(checkpoints.toFile()).keepAll().saveEveryNIterations(10)
                .build());
        for (int i = 0; i < 31; i++) {
            net.fit(data);
        }
        model = dir.resolve("model.zip");
        ModelSerializer.writeModel(net, model.toFile(), false);
    }

    @Test
    void llcJsonOnASavedModelAndCsv() {
        Result r = inProcess(args("llc", "--model", model, "--data", csv, "--classes", "3", "--json"));

        assertThat(r.code()).as(r.toString()).isEqualTo(SltCli.EXIT_OK);
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(json.keySet()).contains("mean", "std", "stderr", "chains", "diverged", "config");
        assertThat(json.getAsJsonObject("config").get("trainingSetSize").getAsLong()).isEqualTo(TinyRuns.EXAMPLES);
    }

    @Test
    void symmetryJsonOnASavedModel() {
        Result r = inProcess("symmetry", "--model", model, "--data", csv, "--classes", "3", "--json");

        assertThat(r.code()).as(r.toString()).isEqualTo(SltCli.EXIT_OK);
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(json.getAsJsonArray("layers")).hasSize(2);
        assertThat(json.get("totalParameters").getAsLong()).isEqualTo(4 * 8 + 8 + 8 * 3 + 3);
    }

    @Test
    void checkpointsThenBaselineCheckAndReportOnTheCurve() throws IOException {
        Path run = dir.resolve("curve.jsonl");
        Path baseline = dir.resolve("curve-baseline.json");
        Path report = dir.resolve("curve.html");

        Result curve = inProcess(args("checkpoints", "--dir", checkpoints, "--data", csv, "--classes", "3", "--out",
                run));
        Result recorded = inProcess("baseline", "--run", run, "--out", baseline);
        Result check = inProcess("check", "--run", run, "--baseline", baseline);
        Result html = inProcess("report", "--run", run, "--out", report);

        assertThat(curve.code()).as(curve.toString()).isZero();
        assertThat(RunHistory.readJsonl(run).llc().iterations()).containsExactly(10, 20, 30);
        assertThat(curve.err()).contains("[3/3] checkpoint");
        assertThat(recorded.code()).as(recorded.toString()).isZero();
        assertThat(check.code()).as(check.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(check.out()).contains("OK: all");
        assertThat(html.code()).as(html.toString()).isZero();
        assertThat(Files.readString(report)).contains("<svg").doesNotContain("<script");
    }

    @Test
    void csvThatDoesNotFitTheModelIsExitTwoOnOneLine() throws IOException {
        Path wide = Files.writeString(dir.resolve("wide.csv"), "1,2,3,4,5,0\n");

        Result r = inProcess("llc", "--model", model, "--data", wide, "--classes", "3");

        assertThat(r.code()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(r.err().lines()).containsExactly("slt4j llc: error: data does not fit the model: the CSV has 5"
                + " feature columns, the model's input layer takes 4");
    }

    @Test
    void theJarRunsWithJavaJar() throws IOException, InterruptedException {
        assumeTrue(Files.isRegularFile(CLI_JAR), "plugin/cli/target/slt4j-cli.jar not built (mvn package)");

        Result llc = subprocess(args("llc", "--model", model, "--data", csv, "--classes", "3", "--json"));
        Result missing = subprocess("symmetry", "--model", dir.resolve("missing.zip"), "--data", csv);

        assertThat(llc.code()).as(llc.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(JsonParser.parseString(llc.out()).getAsJsonObject().has("stderr")).isTrue();
        assertThat(missing.code()).as(missing.toString()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(missing.err().lines()).containsExactly("slt4j symmetry: error: model file not found: "
                + dir.resolve("missing.zip"));
    }

    private static Object[] args(Object... args) {
        List<Object> all = new ArrayList<>(List.of(args));
        if ("llc".equals(args[0]) || "checkpoints".equals(args[0])) {
            all.addAll(List.of((Object[]) FAST));
        }
        return all.toArray();
    }

    private static Result inProcess(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SltCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(strings(args));
        return new Result(code, out.toString(), err.toString());
    }

    private static Result subprocess(Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", CLI_JAR.toString()));
        command.addAll(List.of(strings(args)));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("java -jar " + CLI_JAR + " did not finish in 5 minutes: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String[] strings(Object... args) {
        String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            strings[i] = args[i] instanceof Path p ? p.toString().replace(File.separatorChar, '/') : args[i].toString();
        }
        return strings;
    }

    private record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }
}
