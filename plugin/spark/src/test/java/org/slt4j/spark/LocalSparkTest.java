package org.slt4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.testing.TinyNetworks;

/**
 * What the module's Spark tests share, one per test class: a temporary directory with the fixture's eight
 * checkpoints and its data as CSV, and a Spark context in local mode, stopped after the class's tests.
 */
abstract class LocalSparkTest {
    @TempDir
    static Path dir;
    /** The checkpoint directory ({@link SparkFixtures#checkpointDir}). */
    static Path checkpoints;
    /** The blobs the fixture trained on, 48 rows of CSV. */
    static Path csv;
    static JavaSparkContext sc;

    /**
     * Writes the checkpoints and the data, and starts Spark; called by each test class's {@code @BeforeAll}.
     *
     * @param master the Spark master, e.g. {@code local[2]}
     * @param test   the test class, which names the Spark application
     */
    static void start(String master, Class<?> test) throws IOException {
        checkpoints = SparkFixtures.checkpointDir(dir);
        csv = TinyNetworks.blobsCsv(dir.resolve("blobs.csv"), 48);
        sc = new JavaSparkContext(new SparkConf().setMaster(master).setAppName(test.getSimpleName()));
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.close();
            sc = null;
        }
    }
}
