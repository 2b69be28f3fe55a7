package org.slt4j.cli;

import java.nio.file.Path;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Option;

/** The CSV data options ({@code --data}, {@code --classes} or {@code --targets}); a picocli mixin. */
final class DataOptions {

    @Option(names = "--data", required = true, paramLabel = "FILE.csv",
            description = "Headerless numeric CSV: feature columns, then the label column(s).")
    Path data;

    @Option(names = "--classes", paramLabel = "C",
            description = "The last column is a class index in [0, C) (one-hot encoded for the model).")
    Integer classes;

    @Option(names = "--targets", paramLabel = "K",
            description = "The last K columns are regression targets (default 1; not with --classes).")
    Integer targets;

    /** Reads the CSV and prepares it for the model (normalizer, data type, fit check). */
    DataSet readFor(SavedModel model) {
        return model.prepare(read());
    }

    /** Reads the CSV as it is (double precision, labels one-hot for classes). */
    DataSet read() {
        if (classes != null && targets != null) {
            throw new BadInputException("--classes and --targets are mutually exclusive (got both)");
        }
        LabelColumns columns = classes != null ? LabelColumns.classes(classes)
                : LabelColumns.targets(targets != null ? targets : 1);
        return CsvData.read(data, columns);
    }
}
