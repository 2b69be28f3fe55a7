package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.listener.SltListener;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.RunHistory;
import org.slt4j.report.storage.StoredRun;

/** The README's headline use: the LLC beside the loss in the DL4J training UI, in a user's own project. */
class TrainingWithUiTest {
    @TempDir
    Path dir;

    @Test
    void theListenerRunsBesideTheUiWhoseGuavaIsOld() throws Exception {
        // The DL4J UI resolves Guava 19, which lacks checkArgument(boolean, String, int): slt4j 0.1.0 crashed here.
        assertThrows(NoSuchMethodException.class, () -> com.google.common.base.Preconditions.class
                .getMethod("checkArgument", boolean.class, String.class, int.class));

        DataSet data = Tiny.data();
        MultiLayerNetwork net = Tiny.network();
        UIServer ui = VertxUIServer.getInstance(0, false, null);
        try {
            // [readme:ui-listener]
            StatsStorage storage = new FileStatsStorage(dir.resolve("ui-stats.bin").toFile());
            ui.attach(storage);
            String session = "consumer-run";
            Path records = dir.resolve("slt4j.jsonl");
            SltListener slt = new SltListener.Builder(data, data.numExamples())
                    .statsStorage(storage).sessionId(session).sink(new JsonlSink(records))
                    .overheadBudget(1.0).build();
            net.setListeners(new StatsListener(storage, 1, session), slt);
            // [/readme:ui-listener]
            // The budget lets the first estimate run once training has taken a quarter of its predicted cost (the
            // LLC's share is 0.8 of 1.0), which can be more than 40 epochs of this tiny network take.
            for (int epoch = 0; epoch < 40 || slt.history().llcRecords().isEmpty() && epoch < 100_000; epoch++) {
                net.fit(data);
            }
            slt.close();

            assertFalse(RunHistory.readJsonl(records).llcRecords().isEmpty(), "LLC records in the JSONL file");
            String base = "http://127.0.0.1:" + ui.getPort();
            assertEquals(200, get(base + "/slt").statusCode(), "slt4j's page");
            HttpResponse<String> api = get(base + "/slt/api/data?session=" + session);
            assertEquals(200, api.statusCode(), api.body());
            assertTrue(api.body().contains("\"llc\""), api.body());

            // DL4J's own MapDB storage keeps working beside slt4j: its sessions, StatsListener's reports, ours.
            assertTrue(storage.listSessionIDs().contains(session));
            assertFalse(storage.getAllUpdatesAfter(session, "StatsListener", 0).isEmpty(), "StatsListener reports");
            RunHistory stored = StoredRun.read(storage, session).history();
            assertFalse(stored.llcRecords().isEmpty(), "LLC records in the StatsStorage");
            assertFalse(stored.lossRecords().isEmpty(), "loss from StatsListener");
            storage.close();
        } finally {
            ui.stop();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
