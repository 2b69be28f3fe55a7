package org.slt4j.cli;

import java.nio.file.Path;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The CSV data options ({@code --data}, {@code --classes} or {@code --targets}); a picocli mixin. */
final class DataOptions {

    @Option(names = "--data", required = true, paramLabel = "FILE.csv",
            description = "Headerless numeric CSV: feature columns, then the label column(s).")
    Path data;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Labels labels = new Labels();

    /** Mutually exclusive label layouts. */
    static final class Labels {
        @Option(names = "--classes", paramLabel = "C",
                description = "The last column is a class index in [0, C) (one-hot encoded for the model).")
        Integer classes;

        @Option(names = "--targets", paramLabel = "K",
                description = "The last K columns are regression targets (default 1).")
        Integer targets;
    }

    /** Reads the CSV and prepares it for the model (normalizer, data type, fit check). */
    DataSet readFor(SavedModel model) {
        return model.prepare(read());
    }

    /** Reads the CSV as it is (double precision, labels one-hot for classes). */
    DataSet read() {
        Labels given = labels != null ? labels : new Labels();
        LabelColumns columns = given.classes != null ? LabelColumns.classes(given.classes)
                : LabelColumns.targets(given.targets != null ? given.targets : 1);
        return CsvData.read(data, columns);
    }
}
