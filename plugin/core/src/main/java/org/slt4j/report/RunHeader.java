package org.slt4j.report;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The first record of a run: who wrote it, when, with which schema, on which model, with which settings.
 *
 * @param schemaVersion   version of the record schema ({@link RecordJson#SCHEMA_VERSION} when written by this
 *                        library)
 * @param sessionId       the run's session ID (the DL4J StatsStorage session)
 * @param workerId        the worker that trained (the DL4J StatsStorage worker ID)
 * @param timestamp       when the run's diagnostics started (the first training callback)
 * @param modelType       the model's class, {@code MultiLayerNetwork} or {@code ComputationGraph}
 * @param parameters      number of parameters of the model
 * @param layers          number of layers of the model
 * @param trainingSetSize the training-set size n given to the LLC diagnostics, 0 when no LLC is estimated
 * @param settings        the diagnostics' settings (schedules, mode, budget...), for provenance; sorted by key
 */
public record RunHeader(int schemaVersion, String sessionId, String workerId, Instant timestamp, String modelType,
                        long parameters, int layers, long trainingSetSize, Map<String, String> settings)
        implements DiagnosticRecord {

    /** Checks the fields and copies the settings. */
    public RunHeader {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(modelType, "modelType");
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be >= 1 (got: " + schemaVersion + ")");
        }
        settings = Map.copyOf(new TreeMap<>(settings));
    }

    @Override
    public RecordType type() {
        return RecordType.HEADER;
    }
}
