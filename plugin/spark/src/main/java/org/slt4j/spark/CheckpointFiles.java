package org.slt4j.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.slt4j.cli.BadInputException;

/**
 * Checkpoints on any file system Hadoop reads ({@code file://}, {@code hdfs://}, {@code s3a://}, ...): those a
 * CheckpointListener directory lists, or model zips given one by one; and a local copy of one, which the model
 * loader needs.
 */
final class CheckpointFiles {
    /** CheckpointListener's record of its checkpoints, one line per checkpoint after a header line. */
    static final String INFO = "checkpointInfo.txt";
    /** The iteration and epoch counts DL4J stores in a saved model's configuration. */
    private static final Pattern COUNT = Pattern.compile("\"(iterationCount|epochCount)\"\\s*:\\s*(\\d+)");

    private final Configuration conf;

    CheckpointFiles(Configuration conf) {
        this.conf = conf;
    }

    /**
     * The checkpoints that the directory's checkpointInfo.txt lists and that exist, in iteration order.
     *
     * @throws BadInputException naming the problem, if the directory or its checkpointInfo.txt is missing
     *                           or malformed, or lists no checkpoint that exists
     * @throws IOException       if the file system fails
     */
    List<CheckpointFile> list(String directory) throws IOException {
        Path dir = new Path(directory);
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
            throw new BadInputException("checkpoint directory not found: " + dir);
        }
        Path info = new Path(dir, INFO);
        if (!fs.exists(info)) {
            throw new BadInputException("checkpoint directory " + dir + " has no " + INFO
                    + " (write it with DL4J's CheckpointListener)");
        }
        List<CheckpointFile> found = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(info), StandardCharsets.UTF_8))) {
            // The first line is CheckpointListener's header.
            List<String> lines = in.lines().skip(1).filter(line -> !line.isBlank()).toList();
            for (String line : lines) {
                Checkpoint c = parse(dir, line);
                Path file = new Path(dir, c.getFilename());
                if (fs.exists(file)) {
                    found.add(new CheckpointFile(c, file.toString()));
                }
            }
        }
        if (found.isEmpty()) {
            throw new BadInputException("checkpoint directory " + dir + " lists no checkpoint that exists");
        }
        return inIterationOrder(found);
    }

    /**
     * Model zips given one by one, in iteration order: each one's iteration and epoch are the counts stored in
     * its configuration (what DL4J saves with a model; a CheckpointListener's checkpoint at iteration i stores
     * i), its number is its position in the list. Only the zip's configuration entry is read.
     *
     * @throws BadInputException if a file does not exist or holds no DL4J model configuration
     * @throws IOException       if the file system fails
     */
    List<CheckpointFile> of(List<String> models) throws IOException {
        List<CheckpointFile> found = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            Path file = new Path(models.get(i));
            FileSystem fs = file.getFileSystem(conf);
            if (!fs.exists(file) || !fs.getFileStatus(file).isFile()) {
                throw new BadInputException("checkpoint not found: " + file);
            }
            long[] counts = counts(fs, file);
            found.add(new CheckpointFile(new Checkpoint(i, fs.getFileStatus(file).getModificationTime(),
                    (int) counts[0], (int) counts[1], "model", file.getName()), file.toString()));
        }
        return inIterationOrder(found);
    }

    private static long[] counts(FileSystem fs, Path file) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(fs.open(file))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals("configuration.json")) {
                    String json = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                    long[] counts = {-1, -1};
                    Matcher m = COUNT.matcher(json);
                    while (m.find()) {
                        counts[m.group(1).equals("iterationCount") ? 0 : 1] = Long.parseLong(m.group(2));
                    }
                    if (counts[0] >= 0 && counts[1] >= 0) {
                        return counts;
                    }
                }
            }
        } catch (IOException e) {
            if (!fs.exists(file)) {
                throw e;
            }
            // A corrupt zip: the task that loads it records the failure.
            return new long[] {0, 0};
        }
        throw new BadInputException("checkpoint " + file + " holds no DL4J model configuration with its iteration "
                + "and epoch counts (configuration.json)");
    }

    private static List<CheckpointFile> inIterationOrder(List<CheckpointFile> files) {
        return files.stream().sorted(Comparator.comparingInt((CheckpointFile f) -> f.checkpoint().getIteration())
                .thenComparingInt(f -> f.checkpoint().getCheckpointNum())).toList();
    }

    private static Checkpoint parse(Path dir, String line) {
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
    java.nio.file.Path fetch(CheckpointFile checkpoint) throws IOException {
        Path file = new Path(checkpoint.path());
        java.nio.file.Path local = Files.createTempFile("slt4j-checkpoint-"
                + checkpoint.checkpoint().getCheckpointNum() + "-", ".zip");
        try (InputStream in = file.getFileSystem(conf).open(file)) {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(local);
            throw e;
        }
        return local;
    }

    /** The message of a failure about the local copy of the checkpoint, naming the checkpoint's file instead. */
    static String message(RuntimeException failure, java.nio.file.Path local, CheckpointFile checkpoint) {
        return BadInputException.reason(failure).replace(local.toString(), checkpoint.path());
    }
}
