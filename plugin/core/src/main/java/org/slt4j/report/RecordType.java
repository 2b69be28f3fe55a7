package org.slt4j.report;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of {@link DiagnosticRecord}, with their names in JSON and their DL4J StatsStorage type IDs. */
public enum RecordType {
    /** {@link RunHeader}. */
    HEADER("header"),
    /** {@link LossRecord}. */
    LOSS("loss"),
    /** {@link LlcRecord}. */
    LLC("llc"),
    /** {@link SymmetryRecord}. */
    SYMMETRY("symmetry"),
    /** {@link EventRecord}. */
    EVENT("event"),
    /** {@link FailureRecord}. */
    FAILURE("failure"),
    /** {@link SkipRecord}. */
    SKIP("skip"),
    /** {@link MetricRecord}. */
    METRIC("metric");

    private final String jsonName;

    RecordType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value of the {@code "type"} field in JSON, e.g. {@code "llc"}. */
    public String jsonName() {
        return jsonName;
    }

    /** The DL4J StatsStorage type ID of records of this kind, e.g. {@code "slt4j-llc"}. */
    public String typeId() {
        return "slt4j-" + jsonName;
    }

    /**
     * The type whose {@link #jsonName()} is the given name.
     *
     * @throws IllegalArgumentException if no type has that name
     */
    public static RecordType fromJsonName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("type must be one of "
                + Arrays.stream(values()).map(RecordType::jsonName).collect(Collectors.joining(", ")) + " (got: "
                + name + ")"));
    }

    /**
     * The type whose {@link #jsonName()} is the given name; empty for a name this version does not know, such as
     * a record type a later version added (readers skip those: see docs/record-schema.md).
     */
    public static Optional<RecordType> find(String name) {
        return Arrays.stream(values()).filter(t -> t.jsonName.equals(name)).findFirst();
    }
}
