package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models the tool cannot estimate on: each is refused with exit code 2 and one line on standard error that names
 * the problem, and the same data still works with a good model.
 */
class BadModelsTest {
    @TempDir
    static Path dir;
    static Path blobs;

    @BeforeAll
    static void files() throws IOException {
        CliFixtures.badModels(dir);
        blobs = CliFixtures.blobsCsv(dir, 60);
    }

    private static CliRun llc(String model, String... options) {
        List<Object> args = new ArrayList<>(List.of("llc", "--model", dir.resolve(model), "--data", blobs,
                "--classes", "3"));
        args.addAll(List.of(CliFixtures.FAST));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray());
    }

    /** The one line on standard error of a run refused as bad input. */
    private static String refusal(CliRun run) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err().strip().lines()).as(run.toString()).hasSize(1);
        assertThat(run.out()).as(run.toString()).isEmpty();
        return run.err().strip();
    }

    @Test
    void aLayerClassThisDl4jDoesNotKnowIsNamed() {
        assertThat(refusal(llc("newer-layer.zip"))).isEqualTo("slt4j llc: error: model file "
                + dir.resolve("newer-layer.zip") + " names org.deeplearning4j.nn.conf.layers.DenseLayerV2, which this"
                + " DL4J version does not know: it was probably saved by a newer DL4J; save it with this version, or"
                + " with layers this version has");
    }

    @Test
    void aNetworkWithoutALossLayerIsRefusedNamingItsLastLayer() {
        assertThat(refusal(llc("no-loss.zip"))).isEqualTo("slt4j llc: error: model file " + dir.resolve("no-loss.zip")
                + " has no loss to estimate on: network's last layer must be an output or loss layer, which defines"
                + " the loss the LLC samples (got: layer 1, a DenseLayer; add an OutputLayer or LossLayer, as a Keras"
                + " import without a loss lacks one)");
    }

    @Test
    void aGraphWhoseOutputIsNoLossLayerIsRefusedNamingTheOutput() {
        assertThat(refusal(llc("graph-no-loss.zip"))).isEqualTo("slt4j llc: error: model file "
                + dir.resolve("graph-no-loss.zip") + " has no loss to estimate on: graph output hidden must be an"
                + " output or loss layer, which defines the loss the LLC samples (got: a DenseLayer; add an"
                + " OutputLayer or LossLayer after it)");
    }

    @Test
    void aGraphWithTwoInputsIsRefusedNamingTheLimitation() {
        assertThat(refusal(llc("two-inputs.zip"))).isEqualTo("slt4j llc: error: model file "
                + dir.resolve("two-inputs.zip") + " is a ComputationGraph with 2 inputs and 1 outputs; the command"
                + " line takes graphs with exactly one input and one output, which one CSV file feeds (the Java API,"
                + " NetworkSurfaces.of, takes any number)");
        assertThat(refusal(CliRun.of("symmetry", "--model", dir.resolve("two-inputs.zip"), "--data", blobs,
                "--classes", "3"))).contains("is a ComputationGraph with 2 inputs and 1 outputs");
    }

    @Test
    void theSymmetryScanNeedsNoLossAndAGoodModelStillWorks() {
        CliRun scan = CliRun.of("symmetry", "--model", dir.resolve("no-loss.zip"), "--data", blobs, "--classes", "3");
        CliRun good = llc("classifier.zip");

        assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(good.exitCode()).as(good.toString()).isEqualTo(SltCli.EXIT_OK);
    }
}
