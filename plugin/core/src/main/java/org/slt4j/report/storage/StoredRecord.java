package org.slt4j.report.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.deeplearning4j.core.storage.Persistable;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.RecordJson;

/**
 * A slt4j record as a DL4J {@link Persistable}: the record's JSON ({@link RecordJson}) plus the StatsStorage keys.
 * The type ID is the record's {@link org.slt4j.report.RecordType#typeId()} (the header is stored as static
 * info under every slt4j type ID).
 *
 * <p>Binary form ({@link #encode()}): a format byte (1), then session ID, type ID and worker ID (each an int
 * length and UTF-8 bytes), the timestamp (long), and the record's JSON line (int length and UTF-8 bytes). The
 * no-argument constructor and {@link #decode(byte[])} are what FileStatsStorage and the remote UI receiver use
 * to rebuild it.
 */
public final class StoredRecord implements Persistable {
    private static final long serialVersionUID = 1L;
    private static final byte FORMAT = 1;

    private String sessionId;
    private String typeId;
    private String workerId;
    private long timestamp;
    private String json;

    /** An empty instance, filled by {@code decode}; for DL4J's storage, which creates instances by reflection. */
    public StoredRecord() {
    }

    /**
     * A record stored under the given keys.
     *
     * @param sessionId the StatsStorage session
     * @param workerId  the worker
     * @param timestamp the storage timestamp in milliseconds (unique per session, type and worker)
     * @param record    the record; its type gives the type ID
     */
    public StoredRecord(String sessionId, String workerId, long timestamp, DiagnosticRecord record) {
        this(sessionId, record.type().typeId(), workerId, timestamp, record);
    }

    /** A record stored under an explicit type ID: the header is static info of every slt4j type. */
    StoredRecord(String sessionId, String typeId, String workerId, long timestamp, DiagnosticRecord record) {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.typeId = Objects.requireNonNull(typeId, "typeId");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.timestamp = timestamp;
        this.json = RecordJson.encode(record);
    }

    /**
     * The stored record, decoded.
     *
     * @throws IllegalArgumentException if the stored JSON is not a valid record
     */
    public DiagnosticRecord record() {
        return RecordJson.decode(json);
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    @Override
    public String getTypeID() {
        return typeId;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public long getTimeStamp() {
        return timestamp;
    }

    @Override
    public int encodingLengthBytes() {
        return encode().length;
    }

    @Override
    public byte[] encode() {
        byte[][] parts = {utf8(sessionId), utf8(typeId), utf8(workerId), utf8(json)};
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 * parts.length + Long.BYTES + parts[0].length
                + parts[1].length + parts[2].length + parts[3].length);
        buffer.put(FORMAT);
        for (int i = 0; i < 3; i++) {
            buffer.putInt(parts[i].length).put(parts[i]);
        }
        buffer.putLong(timestamp);
        buffer.putInt(parts[3].length).put(parts[3]);
        return buffer.array();
    }

    @Override
    public void encode(ByteBuffer buffer) {
        buffer.put(encode());
    }

    @Override
    public void encode(OutputStream outputStream) throws IOException {
        outputStream.write(encode());
    }

    @Override
    public void decode(byte[] bytes) {
        decode(ByteBuffer.wrap(bytes));
    }

    @Override
    public void decode(ByteBuffer buffer) {
        byte format = buffer.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("stored record format must be " + FORMAT + " (got: " + format + ")");
        }
        sessionId = string(buffer);
        typeId = string(buffer);
        workerId = string(buffer);
        timestamp = buffer.getLong();
        json = string(buffer);
    }

    @Override
    public void decode(InputStream inputStream) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        inputStream.transferTo(bytes);
        decode(bytes.toByteArray());
    }

    @Override
    public String toString() {
        return "StoredRecord{" + sessionId + "/" + typeId + "/" + workerId + "@" + timestamp + "}";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
