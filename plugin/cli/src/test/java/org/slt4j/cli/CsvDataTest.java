package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

class CsvDataTest {

    @TempDir
    Path dir;

    @Test
    void classIndexInTheLastColumnBecomesAOneHotLabel() throws IOException {
        Path file = CliFixtures.csv(dir, "c.csv", List.of("1,2,0", "3,4,2"));

        DataSet data = CsvData.read(file, LabelColumns.classes(3));

        assertThat(data.getFeatures().toDoubleMatrix()).isEqualTo(new double[][] {{1, 2}, {3, 4}});
        assertThat(data.getLabels().toDoubleMatrix()).isEqualTo(new double[][] {{1, 0, 0}, {0, 0, 1}});
    }

    @Test
    void lastKColumnsAreRegressionTargetsAndBlankLinesAreSkipped() throws IOException {
        Path file = CliFixtures.csv(dir, "r.csv", List.of("1, 2, 3, 4", "", "5,6,7,8", ""));

        DataSet data = CsvData.read(file, LabelColumns.targets(2));

        assertThat(data.getFeatures().toDoubleMatrix()).isEqualTo(new double[][] {{1, 2}, {5, 6}});
        assertThat(data.getLabels().toDoubleMatrix()).isEqualTo(new double[][] {{3, 4}, {7, 8}});
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> CsvData.read(dir.resolve("nope.csv"), LabelColumns.targets(1)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("data file not found")
                .hasMessageContaining("nope.csv");
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = CliFixtures.csv(dir, "e.csv", List.of("", ""));

        assertThatThrownBy(() -> CsvData.read(file, LabelColumns.targets(1)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("has no rows");
    }

    @Test
    void rowWithWrongColumnCountNamesItsLineAndTheExpectedCount() throws IOException {
        Path file = CliFixtures.csv(dir, "ragged.csv", List.of("1,2,3", "4,5,6", "7,8"));

        assertThatThrownBy(() -> CsvData.read(file, LabelColumns.targets(1)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("line 3 has 2 column(s), expected 3 as on line 1");
    }

    @Test
    void nonNumericCellNamesLineAndColumn() throws IOException {
        Path file = CliFixtures.csv(dir, "text.csv", List.of("1,2,3", "4,abc,6"));

        assertThatThrownBy(() -> CsvData.read(file, LabelColumns.targets(1)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("line 2, column 2: 'abc' is not a number");
    }

    @Test
    void headerRowIsReportedAsNonNumeric() throws IOException {
        Path file = CliFixtures.csv(dir, "header.csv", List.of("x1,x2,y", "1,2,3"));

        assertThatThrownBy(() -> CsvData.read(file, LabelColumns.targets(1)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("line 1, column 1: 'x1' is not a number");
    }

    @Test
    void nonFiniteCellIsRejected() throws IOException {
        Path file = CliFixtures.csv(dir, "nan.csv", List.of("1,NaN,3"));

        assertThatThrownBy(() -> CsvData.read(file, LabelColumns.targets(1)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("line 1, column 2: NaN is not a finite number");
    }

    @Test
    void classIndexOutOfRangeOrFractionalIsRejected() throws IOException {
        Path outOfRange = CliFixtures.csv(dir, "c1.csv", List.of("1,2,0", "1,2,3"));
        Path fractional = CliFixtures.csv(dir, "c2.csv", List.of("1,2,0.5"));

        assertThatThrownBy(() -> CsvData.read(outOfRange, LabelColumns.classes(3)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("line 2, column 3: 3 is not a class index in [0, 3)");
        assertThatThrownBy(() -> CsvData.read(fractional, LabelColumns.classes(3)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("0.5 is not a class index");
    }

    @Test
    void tooFewColumnsForTheLabelsIsRejected() throws IOException {
        Path file = CliFixtures.csv(dir, "narrow.csv", List.of("1,2"));

        assertThatThrownBy(() -> CsvData.read(file, LabelColumns.targets(2)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("line 1 has 2 column(s); --targets 2 needs at least 3");
    }

    @Test
    void labelOptionsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> LabelColumns.classes(1)).isInstanceOf(BadInputException.class)
                .hasMessage("--classes must be >= 2 (got: 1)");
        assertThatThrownBy(() -> LabelColumns.targets(0)).isInstanceOf(BadInputException.class)
                .hasMessage("--targets must be >= 1 (got: 0)");
    }
}
