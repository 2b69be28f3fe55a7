package org.slt4j.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.slt4j.cli.BadInputException;
import org.slt4j.cli.CheckpointCurve;

/**
 * A directory written by DL4J's CheckpointListener on any file system Hadoop reads ({@code file://},
 * {@code hdfs://}, {@code s3a://}, ...): its checkpoints, and a local copy of one checkpoint's model zip, which
 * the model loader needs.
 */
final class CheckpointFiles {
    /** CheckpointListener's record of its checkpoints, one line per checkpoint after a header line. */
    static final String INFO = "checkpointInfo.txt";

    private final Path dir;
    private final Configuration conf;

    CheckpointFiles(String dir, Configuration conf) {
        this.dir = new Path(dir);
        this.conf = conf;
    }

    /** The directory, as given. */
    Path dir() {
        return dir;
    }

    /**
     * The checkpoints that checkpointInfo.txt lists and that exist, in iteration order.
     *
     * @throws BadInputException naming the problem, if the directory or its checkpointInfo.txt is missing
     *                           or malformed, or lists no checkpoint that exists
     * @throws IOException       if the file system fails
     */
    List<Checkpoint> list() throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
            throw new BadInputException("checkpoint directory not found: " + dir);
        }
        Path info = new Path(dir, INFO);
        if (!fs.exists(info)) {
            throw new BadInputException("checkpoint directory " + dir + " has no " + INFO
                    + " (write it with DL4J's CheckpointListener)");
        }
        List<Checkpoint> found = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(info), StandardCharsets.UTF_8))) {
            // The first line is CheckpointListener's header.
            List<String> lines = in.lines().skip(1).filter(line -> !line.isBlank()).toList();
            for (String line : lines) {
                Checkpoint c = parse(line);
                if (fs.exists(new Path(dir, c.getFilename()))) {
                    found.add(c);
                }
            }
        }
        if (found.isEmpty()) {
            throw new BadInputException("checkpoint directory " + dir + " lists no checkpoint that exists");
        }
        return CheckpointCurve.inIterationOrder(found);
    }

    private Checkpoint parse(String line) {
        try {
            return Checkpoint.fromFileString(line);
        } catch (RuntimeException e) {
            throw new BadInputException("checkpoint directory " + dir + " has a malformed " + INFO + ": line '"
                    + line + "'", e);
        }
    }

    /**
     * Copies the checkpoint's model zip to a new local temporary file; delete it when done.
     *
     * @throws IOException if the file system fails (a transient failure: a Spark task that throws it is retried)
     */
    java.nio.file.Path fetch(Checkpoint checkpoint) throws IOException {
        Path file = file(checkpoint);
        java.nio.file.Path local = Files.createTempFile("slt4j-checkpoint-" + checkpoint.getCheckpointNum() + "-",
                ".zip");
        try (InputStream in = file.getFileSystem(conf).open(file)) {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(local);
            throw e;
        }
        return local;
    }

    /** The message of a failure about the local copy of the checkpoint, naming the checkpoint's file instead. */
    String message(RuntimeException failure, java.nio.file.Path local, Checkpoint checkpoint) {
        return BadInputException.reason(failure).replace(local.toString(), file(checkpoint).toString());
    }

    /** The checkpoint's model zip. */
    Path file(Checkpoint checkpoint) {
        return new Path(dir, checkpoint.getFilename());
    }
}
