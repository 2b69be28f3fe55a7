package org.slt4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.cli.SltCli;
import org.slt4j.testing.TinyNetworks;

/**
 * The submit jar as a cluster gets it: its contents, and {@link SparkCheckpoints} run from it in a JVM of its own
 * whose classpath is the jar, Spark's jars (this module's provided dependencies, an SLF4J binding) and the ND4J
 * native libraries of this platform, as {@code spark-submit --jars} would give them.
 */
class SubmitJarIT {
    @TempDir
    Path dir;

    @Test
    void theSubmitJarHoldsSlt4jAndDl4jButNotSparkScalaOrHadoop() throws IOException {
        List<String> entries;
        try (ZipFile jar = new ZipFile(submitJar().toFile())) {
            entries = Collections.list(jar.entries()).stream().map(ZipEntry::getName).toList();
        }

        assertThat(entries).contains("org/slt4j/spark/SparkCheckpoints.class", "org/slt4j/cli/SltCli.class",
                "org/slt4j/llc/LlcEstimator.class", "org/deeplearning4j/nn/multilayer/MultiLayerNetwork.class",
                "org/nd4j/linalg/factory/Nd4j.class", "org/nd4j/linalg/cpu/nativecpu/CpuBackend.class");
        assertThat(entries).as("Spark, Scala, Hadoop, SLF4J and unrelocated Guava are the cluster's")
                .noneMatch(e -> e.startsWith("org/apache/spark/") || e.startsWith("scala/")
                        || e.startsWith("org/apache/hadoop/") || e.startsWith("org/slf4j/")
                        || e.startsWith("com/google/common/"));
        assertThat(entries).as("no ND4J or OpenBLAS native library: those are the executors' platform's")
                .noneMatch(e -> e.matches(".*(nd4j|openblas|gomp)[^/]*\\.(so(\\.\\d+)*|dll|dylib)"));
    }

    @Test
    void sparkCheckpointsRunFromTheSubmitJarOnSparksClasspathGivesTheCommandLinesRecords() throws Exception {
        Path checkpoints = SparkFixtures.checkpointDir(dir);
        Path csv = TinyNetworks.blobsCsv(dir.resolve("blobs.csv"), 48);
        Path local = dir.resolve("local.jsonl");
        Path submitted = dir.resolve("submitted.jsonl");
        assertThat(SparkFixtures.cli("--dir", checkpoints, "--data", csv, "--out", local)).isEqualTo(SltCli.EXIT_OK);

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx2g", "-Dspark.ui.enabled=false", "-Dspark.driver.host=localhost",
                "-Dspark.driver.bindAddress=127.0.0.1"));
        command.addAll(Arrays.asList(System.getProperty("slt4j.spark.addOpens").trim().split("\\s+")));
        command.addAll(List.of("-cp", classpath(), SparkCheckpoints.class.getName()));
        command.addAll(List.of(SparkFixtures.args(List.of("--master", "local[2]"), SparkFixtures.FAST, "--dir",
                checkpoints.toUri(), "--data", csv, "--out", submitted)));
        Path log = dir.resolve("submitted.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        boolean ended = process.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }

        String output = Files.readString(log);
        assertThat(ended).as("ended within 4 minutes; output:%n%s", tail(output)).isTrue();
        assertThat(process.exitValue()).as("exit code; output:%n%s", tail(output)).isEqualTo(SltCli.EXIT_OK);
        assertThat(output).contains("Measured 8 of 8 checkpoints on Spark (local[2]");
        assertThat(SparkCheckpointsTest.llc(SparkFixtures.records(submitted))).hasSize(8)
                .containsExactlyElementsOf(SparkCheckpointsTest.llc(SparkFixtures.records(local)));
    }

    private static Path submitJar() {
        Path jar = Path.of(System.getProperty("slt4j.spark.submitJar", "target/slt4j-spark-submit.jar"));
        assertThat(jar).as("the submit jar (built by mvn package)").isRegularFile();
        return jar;
    }

    /**
     * The submit jar, then Spark's jars, an SLF4J API and binding, and this platform's ND4J native libraries: all
     * that a cluster's {@code spark-submit} and {@code --jars} would put beside it, and nothing the jar should hold.
     */
    private static String classpath() throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(submitJar().toString());
        Path spark = Path.of(System.getProperty("slt4j.spark.classpath", "target/spark-provided.classpath"));
        entries.addAll(Arrays.asList(Files.readString(spark).trim().split(File.pathSeparator)));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("slf4j-api-") || name.startsWith("slf4j-simple-")
                    || (name.endsWith("-linux-x86_64.jar") && (name.startsWith("nd4j-native-")
                    || name.startsWith("openblas-") || name.startsWith("javacpp-")))) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String tail(String output) {
        return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
    }
}
