package org.slt4j.report;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.slt4j.report.storage.StoredRecord;

/** Reads everything slt4j stored in a StatsStorage, without RunHistory (to test the storage layout itself). */
final class StatsStorageCount {
    private StatsStorageCount() {
    }

    static List<DiagnosticRecord> all(StatsStorage storage) {
        List<DiagnosticRecord> out = new ArrayList<>();
        for (String session : storage.listSessionIDs()) {
            Persistable header = storage.getAllStaticInfos(session, RecordType.HEADER.typeId()).get(0);
            out.addAll(((StoredRecord) header).records());
            for (RecordType type : RecordType.values()) {
                for (Persistable p : storage.getAllUpdatesAfter(session, type.typeId(), Long.MIN_VALUE)) {
                    out.addAll(((StoredRecord) p).records());
                }
            }
        }
        return out;
    }

    static int records(StatsStorage storage) {
        return all(storage).size();
    }
}
