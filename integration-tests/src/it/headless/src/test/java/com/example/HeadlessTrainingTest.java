package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.check.SltAssertions;
import org.slt4j.listener.SltListener;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.RunHistory;
import org.slt4j.surface.NetworkSurfaces;

/** slt4j without its optional dependencies: what still works, and what a missing one says. */
class HeadlessTrainingTest {
    @TempDir
    Path dir;

    @Test
    void noUiAssertJOrPicocliClassIsOnTheClasspath() {
        for (String name : List.of("org.deeplearning4j.ui.api.UIServer", "io.vertx.core.Vertx",
                "org.deeplearning4j.ui.model.stats.StatsListener", "org.assertj.core.api.AbstractAssert",
                "picocli.CommandLine", "com.google.common.base.Preconditions")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name), name);
        }
    }

    @Test
    void theListenerWritesJsonlRecords() throws Exception {
        DataSet data = Tiny.data();
        MultiLayerNetwork net = Tiny.network();
        Path records = dir.resolve("slt4j.jsonl");
        SltListener slt = new SltListener.Builder(data, data.numExamples()).sink(new JsonlSink(records))
                .llcConfig(Tiny.quickLlc()).overheadBudget(Double.POSITIVE_INFINITY).build();
        net.addListeners(slt);
        for (int epoch = 0; epoch < 10; epoch++) {
            net.fit(data);
        }
        slt.close();

        RunHistory run = RunHistory.readJsonl(records);
        assertFalse(run.llcRecords().isEmpty(), "LLC records");
        assertFalse(run.symmetryRecords().isEmpty(), "symmetry records");
        assertTrue(run.failures().isEmpty(), () -> "failures: " + run.failures());
    }

    @Test
    void assertionsWithoutAssertJSayWhichArtifactToAdd() {
        DataSet data = Tiny.data();
        LlcEstimate estimate = new LlcEstimator(Tiny.quickLlc()).estimate(NetworkSurfaces.of(Tiny.network(), data));
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> SltAssertions.assertThat(estimate));
        assertTrue(missing.getMessage().contains("org.assertj:assertj-core"), missing.getMessage());
    }

    @Test
    void untrustedEstimatesAndFailingSinksAreLoggedAtWarn() throws Exception {
        Path logFile = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
        int before = Files.exists(logFile) ? Tiny.lines(logFile).size() : 0;
        DataSet data = Tiny.data();
        MultiLayerNetwork net = Tiny.network();
        // A step size far too large: the chains diverge, and the estimate cannot be trusted.
        LlcConfig diverging = Tiny.quickLlc().toBuilder().stepSize(10).build();
        SltListener slt = new SltListener.Builder(data, data.numExamples()).llcConfig(diverging)
                .sink(record -> {
                    throw new IllegalStateException("disk full");
                })
                .overheadBudget(Double.POSITIVE_INFINITY).build();
        net.addListeners(slt);
        for (int epoch = 0; epoch < 3; epoch++) {
            net.fit(data);
        }
        slt.close();

        List<String> all = Tiny.lines(logFile);
        List<String> log = all.subList(before, all.size());
        assertEquals(1, log.stream().filter(l -> l.contains("WARN org.slt4j") && l.contains("cannot be trusted"))
                .count(), () -> String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains("WARN org.slt4j") && l.contains("disk full")),
                () -> String.join("\n", log));
    }
}
