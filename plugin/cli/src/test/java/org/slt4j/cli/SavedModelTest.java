package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.slt4j.testing.TinyNetworks;

class SavedModelTest {

    @TempDir
    Path dir;

    @Test
    void loadsAMultiLayerNetworkAndAComputationGraph() throws IOException {
        SavedModel mln = SavedModel.load(CliFixtures.classifierZip(dir));
        SavedModel cg = SavedModel.load(CliFixtures.graphZip(dir));

        assertThat(mln.kind()).isEqualTo("MultiLayerNetwork");
        assertThat(cg.kind()).isEqualTo("ComputationGraph");
        assertThat(mln.parameters()).isEqualTo(cg.parameters()).isEqualTo(4 * 8 + 8 + 8 * 3 + 3);
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> SavedModel.load(dir.resolve("missing.zip"))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("model file not found").hasMessageContaining("missing.zip");
    }

    @Test
    void fileThatIsNotAZipIsRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("text.zip"), "not a zip");

        assertThatThrownBy(() -> SavedModel.load(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("is not a zip archive");
    }

    @Test
    void zipWithoutConfigurationIsRejected() throws IOException {
        Path file = dir.resolve("other.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        assertThatThrownBy(() -> SavedModel.load(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("is not a DL4J model: it has no configuration.json");
    }

    @Test
    void zipWithCorruptParametersIsRejected() throws IOException {
        Path good = CliFixtures.classifierZip(dir);
        Path bad = dir.resolve("corrupt.zip");
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(good.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bad))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                byte[] bytes = in.getInputStream(e).readAllBytes();
                out.write(e.getName().equals(ModelSerializer.COEFFICIENTS_BIN)
                        ? java.util.Arrays.copyOf(bytes, bytes.length / 3) : bytes);
            }
        }

        assertThatThrownBy(() -> SavedModel.load(bad)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("corrupt.zip is corrupt");
    }

    @Test
    void truncatedZipIsRejected() throws IOException {
        byte[] bytes = Files.readAllBytes(CliFixtures.classifierZip(dir));
        Path file = Files.write(dir.resolve("truncated.zip"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> SavedModel.load(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("truncated.zip");
    }

    @Test
    void dataWithTheWrongNumberOfFeaturesDoesNotFit() throws IOException {
        SavedModel model = SavedModel.load(CliFixtures.classifierZip(dir));
        Path csv = CliFixtures.csv(dir, "three.csv", List.of("1,2,3,0"));

        assertThatThrownBy(() -> model.prepare(CsvData.read(csv, LabelColumns.classes(3))))
                .isInstanceOf(BadInputException.class)
                .hasMessage("data does not fit the model: the CSV has 3 feature columns, the model's input layer"
                        + " takes 4");
    }

    @Test
    void labelsOfTheWrongWidthDoNotFit() throws IOException {
        SavedModel mln = SavedModel.load(CliFixtures.classifierZip(dir));
        SavedModel cg = SavedModel.load(CliFixtures.graphZip(dir));
        Path csv = CliFixtures.csv(dir, "four.csv", List.of("1,2,3,4,0"));

        for (SavedModel model : List.of(mln, cg)) {
            assertThatThrownBy(() -> model.prepare(CsvData.read(csv, LabelColumns.classes(2))))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageContaining("its output has shape [3] per example, the CSV gives 2 label values");
        }
    }

    @Test
    void normalizerSavedInTheZipIsAppliedToTheData() throws IOException {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        DataSet blobs = TinyNetworks.blobs(30, 3);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(blobs);
        Path zip = CliFixtures.save(net, dir.resolve("normalized.zip"));
        ModelSerializer.addNormalizerToModel(zip.toFile(), normalizer);
        Path csv = CliFixtures.blobsCsv(dir, 30);

        SavedModel model = SavedModel.load(zip);
        DataSet prepared = model.prepare(CsvData.read(csv, LabelColumns.classes(3)));

        assertThat(model.hasNormalizer()).isTrue();
        assertThat(prepared.getFeatures().mean(0).toDoubleVector())
                .containsOnly(new double[] {0, 0, 0, 0}, org.assertj.core.data.Offset.offset(1e-3));
    }
}
