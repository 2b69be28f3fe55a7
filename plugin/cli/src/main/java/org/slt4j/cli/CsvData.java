package org.slt4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datavec.api.records.Record;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.Writable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a headerless numeric CSV file with DataVec's {@link CSVRecordReader} into one in-memory {@link DataSet}:
 * the leading columns are features, the trailing ones labels as described by {@link LabelColumns}. Blank lines
 * are skipped. Every cell is validated, so a bad file fails with its line and column (both 1-based) named.
 */
final class CsvData {

    private CsvData() {
    }

    /**
     * @return features [rows, columns - label columns] and labels [rows, label width], in double precision
     * @throws BadInputException if the file is missing, empty, ragged, has non-numeric or non-finite cells, a
     *                           class index out of range, or no feature columns
     */
    static DataSet read(Path file, LabelColumns labels) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("data file not found: " + file);
        }
        List<double[]> rows = new ArrayList<>();
        int columns = -1;
        int firstLine = -1;
        try (CSVRecordReader reader = new CSVRecordReader(0, ',')) {
            reader.initialize(new FileSplit(file.toFile()));
            int line = 0;
            while (reader.hasNext()) {
                Record record = reader.nextRecord();
                line++;
                List<Writable> cells = record.getRecord();
                if (cells.size() == 1 && cells.get(0).toString().isBlank()) {
                    continue;
                }
                if (columns < 0) {
                    columns = cells.size();
                    firstLine = line;
                    if (columns <= labels.csvColumns()) {
                        throw new BadInputException(String.format(
                                "%s line %d has %d column(s); %s needs at least %d (features, then labels)", file,
                                line, columns, labels.describe(), labels.csvColumns() + 1));
                    }
                } else if (cells.size() != columns) {
                    throw new BadInputException(String.format("%s line %d has %d column(s), expected %d as on line %d",
                            file, line, cells.size(), columns, firstLine));
                }
                rows.add(parse(file, line, cells, columns - labels.csvColumns(), labels));
            }
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("could not read data file " + file + ": " + BadInputException.reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInputException("interrupted while reading data file " + file, e);
        }
        if (rows.isEmpty()) {
            throw new BadInputException("data file " + file + " has no rows");
        }
        return toDataSet(rows, columns - labels.csvColumns(), labels);
    }

    private static double[] parse(Path file, int line, List<Writable> cells, int features, LabelColumns labels) {
        double[] values = new double[cells.size()];
        for (int c = 0; c < values.length; c++) {
            String text = cells.get(c).toString().strip();
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new BadInputException(String.format("%s line %d, column %d: '%s' is not a number", file, line,
                        c + 1, text));
            }
            if (!Double.isFinite(v)) {
                throw new BadInputException(String.format("%s line %d, column %d: %s is not a finite number", file,
                        line, c + 1, text));
            }
            if (labels.isClassification() && c == features && (v != Math.rint(v) || v < 0 || v >= labels.width())) {
                throw new BadInputException(String.format(
                        "%s line %d, column %d: %s is not a class index in [0, %d) (%s)", file, line, c + 1, text,
                        labels.width(), labels.describe()));
            }
            values[c] = v;
        }
        return values;
    }

    private static DataSet toDataSet(List<double[]> rows, int features, LabelColumns labels) {
        INDArray x = Nd4j.create(DataType.DOUBLE, rows.size(), features);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows.size(), labels.width());
        for (int r = 0; r < rows.size(); r++) {
            double[] row = rows.get(r);
            for (int c = 0; c < features; c++) {
                x.putScalar(r, c, row[c]);
            }
            if (labels.isClassification()) {
                y.putScalar(r, (int) row[features], 1.0);
            } else {
                for (int k = 0; k < labels.width(); k++) {
                    y.putScalar(r, k, row[features + k]);
                }
            }
        }
        return new DataSet(x, y);
    }
}
