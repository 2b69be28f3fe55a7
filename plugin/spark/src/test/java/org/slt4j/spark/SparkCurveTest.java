package org.slt4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slt4j.cli.SltCli;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.testing.TinyNetworks;

class SparkCurveTest extends LocalSparkTest {
    @BeforeAll
    static void setUp() throws IOException {
        start("local[2]", SparkCurveTest.class);
    }

    /** The CSV's rows as DataSets of 10 examples (the last one shorter), in 3 partitions. */
    private static JavaRDD<DataSet> rdd() throws IOException {
        List<String> lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        List<DataSet> parts = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += 10) {
            List<String> chunk = lines.subList(from, Math.min(from + 10, lines.size()));
            double[][] features = new double[chunk.size()][];
            double[][] labels = new double[chunk.size()][3];
            for (int i = 0; i < chunk.size(); i++) {
                String[] cells = chunk.get(i).split(",");
                features[i] = new double[cells.length - 1];
                for (int j = 0; j < cells.length - 1; j++) {
                    features[i][j] = Double.parseDouble(cells[j]);
                }
                labels[i][(int) Double.parseDouble(cells[cells.length - 1])] = 1;
            }
            parts.add(new DataSet(Nd4j.create(features), Nd4j.create(labels)));
        }
        return sc.parallelize(parts, 3);
    }

    @Test
    void anRddOfDataSetsGivesTheRecordsOfTheSameDataAsCsv() throws IOException {
        Path local = dir.resolve("local.jsonl");
        assertThat(SparkFixtures.cli("--dir", checkpoints, "--data", csv, "--out", local)).isEqualTo(SltCli.EXIT_OK);
        List<String> fast = SparkFixtures.FAST.subList(2, SparkFixtures.FAST.size());

        RunHistory curve = new SparkCurve.Builder(sc, rdd()).directory(checkpoints.toString())
                .options(fast.toArray(String[]::new)).granularity(SparkCheckpoints.Granularity.CHAIN).build()
                .run(dir.resolve("rdd.jsonl"));

        List<DiagnosticRecord> expected = SparkFixtures.records(local);
        assertThat(SparkCheckpointsTest.llc(List.copyOf(curve.records()))).hasSize(8)
                .containsExactlyElementsOf(SparkCheckpointsTest.llc(expected));
    }

    @Test
    void dataAboveTheBroadcastLimitFailsNamingItsSizeBeforeAnythingIsCollected() {
        SparkCurve curve = new SparkCurve.Builder(sc, sc.parallelize(List.of(TinyNetworks.blobs(48, 1))))
                .directory(checkpoints.toString()).maxBroadcastBytes(1000).build();

        assertThatThrownBy(() -> curve.run(dir.resolve("big.jsonl"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBroadcastBytes 1000").hasMessageContaining("sample the RDD");
    }

    @Test
    void theBuilderRejectsAMissingSourceDataOptionsAndInvalidOptions() {
        JavaRDD<DataSet> data = sc.parallelize(List.of(TinyNetworks.blobs(8, 1)));

        assertThatThrownBy(() -> new SparkCurve.Builder(sc, data).build())
                .hasMessage("exactly one of directory and checkpoints must be set (got: neither)");
        assertThatThrownBy(() -> new SparkCurve.Builder(sc, data).directory("d").options("--data", "x.csv").build())
                .hasMessageContaining("options must not hold --data");
        assertThatThrownBy(() -> new SparkCurve.Builder(sc, data).directory("d").options("--chains", "two").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--chains");
        assertThatThrownBy(() -> new SparkCurve.Builder(sc, data).directory("d").maxBroadcastBytes(0).build())
                .hasMessage("maxBroadcastBytes must be > 0 (got: 0)");
    }
}
