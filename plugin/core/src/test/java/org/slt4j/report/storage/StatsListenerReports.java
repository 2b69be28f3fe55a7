package org.slt4j.report.storage;

import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.impl.SbeStatsInitializationReport;
import org.deeplearning4j.ui.model.stats.impl.SbeStatsReport;

/** DL4J StatsListener's reports, posted by hand the way StatsListener posts them. */
public final class StatsListenerReports {
    private StatsListenerReports() {
    }

    /** Posts StatsListener's static info and one report per iteration 0..n-1 with score 1 / (iteration + 1). */
    public static void post(StatsStorage storage, String sessionId, int iterations) {
        SbeStatsInitializationReport init = new SbeStatsInitializationReport();
        init.reportIDs(sessionId, StatsListener.TYPE_ID, "w", 1);
        storage.putStaticInfo(init);
        for (int i = 0; i < iterations; i++) {
            SbeStatsReport report = new SbeStatsReport();
            report.reportIDs(sessionId, StatsListener.TYPE_ID, "w", 1000 + i);
            report.reportIterationCount(i);
            report.reportScore(1.0 / (i + 1));
            storage.putUpdate(report);
        }
    }
}
