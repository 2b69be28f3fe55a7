package org.slt4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slt4j.report.RunHistory;
import picocli.CommandLine.Option;

/** The {@code --run} option: a run's records as JSONL (JsonlSink or {@code slt4j checkpoints}); a picocli mixin. */
final class RunOption {

    @Option(names = "--run", required = true, paramLabel = "RUN.jsonl",
            description = "A run in the record schema, as written by JsonlSink or 'slt4j checkpoints'.")
    Path run;

    /**
     * Reads the run.
     *
     * @throws BadInputException if the file is missing, unreadable or holds an invalid record
     */
    RunHistory read() {
        if (!Files.isRegularFile(run)) {
            throw new BadInputException("run file not found: " + run);
        }
        try {
            return RunHistory.readJsonl(run);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException("could not read run " + run + ": " + BadInputException.reason(e), e);
        }
    }
}
