package org.slt4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model} option; a picocli mixin. */
final class ModelOption {

    @Option(names = "--model", required = true, paramLabel = "FILE.zip",
            description = "A model saved with ModelSerializer (MultiLayerNetwork or ComputationGraph).")
    Path model;

    /** Loads the model. */
    SavedModel load() {
        return SavedModel.load(model);
    }
}
