package org.slt4j.report.storage;

import com.google.common.base.Preconditions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.core.storage.Persistable;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.RecordJson;

/**
 * slt4j records of one type as one DL4J {@link Persistable}: the records' JSON ({@link RecordJson}) plus the
 * StatsStorage keys. One stored update holds one record, or a batch of records of one type that
 * {@link StatsStorageSink} held back and posts together (a DL4J FileStatsStorage commits every update to disk). The
 * type ID is the records' {@link org.slt4j.report.RecordType#typeId()} (the header is stored as static info under
 * every slt4j type ID).
 *
 * <p>Binary form ({@link #encode()}): a format byte, then session ID, type ID and worker ID (each an int length and
 * UTF-8 bytes) and the timestamp (long); then, in format 1 (one record), the record's JSON line (int length and
 * UTF-8 bytes); in format 2 (a batch), the number of records (int) and each record's JSON line (int length and
 * UTF-8 bytes). One record is always written in format 1, as slt4j wrote every record before batches. The
 * no-argument constructor and {@link #decode(byte[])} are what FileStatsStorage and the remote UI receiver use to
 * rebuild it.
 */
public final class StoredRecord implements Persistable {
    private static final long serialVersionUID = 1L;
    private static final byte ONE_RECORD = 1;
    private static final byte BATCH = 2;

    private String sessionId;
    private String typeId;
    private String workerId;
    private long timestamp;
    private List<String> json;

    /** An empty instance, filled by {@code decode}; for DL4J's storage, which creates instances by reflection. */
    public StoredRecord() {
    }

    /**
     * Records stored as one update under the given keys.
     *
     * @param sessionId the StatsStorage session
     * @param workerId  the worker
     * @param timestamp the storage timestamp in milliseconds (unique per session, type and worker)
     * @param records   one record, or a batch of records of one type, which gives the type ID
     * @throws IllegalArgumentException if there are no records, or records of several types
     */
    public StoredRecord(String sessionId, String workerId, long timestamp, List<? extends DiagnosticRecord> records) {
        this(sessionId, typeId(records), workerId, timestamp, records);
    }

    /** Records stored under an explicit type ID: the header is static info of every slt4j type. */
    StoredRecord(String sessionId, String typeId, String workerId, long timestamp,
            List<? extends DiagnosticRecord> records) {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.typeId = Objects.requireNonNull(typeId, "typeId");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.timestamp = timestamp;
        this.json = records.stream().map(RecordJson::encode).toList();
    }

    private static String typeId(List<? extends DiagnosticRecord> records) {
        Preconditions.checkArgument(!records.isEmpty(), "records must not be empty");
        List<String> types = records.stream().map(r -> r.type().typeId()).distinct().toList();
        Preconditions.checkArgument(types.size() == 1, "records must be of one type (got: %s)", types);
        return types.get(0);
    }

    /**
     * The stored records, decoded, in the order they were written: one, or the records of a batch.
     *
     * @throws IllegalArgumentException if a stored JSON line is not a valid record
     */
    public List<DiagnosticRecord> records() {
        return json.stream().map(RecordJson::decode).toList();
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
        byte[][] keys = {utf8(sessionId), utf8(typeId), utf8(workerId)};
        List<byte[]> lines = json.stream().map(StoredRecord::utf8).toList();
        boolean batch = lines.size() > 1;
        int length = 1 + Long.BYTES + (batch ? Integer.BYTES : 0);
        for (byte[] b : keys) {
            length += Integer.BYTES + b.length;
        }
        for (byte[] b : lines) {
            length += Integer.BYTES + b.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        buffer.put(batch ? BATCH : ONE_RECORD);
        for (byte[] b : keys) {
            buffer.putInt(b.length).put(b);
        }
        buffer.putLong(timestamp);
        if (batch) {
            buffer.putInt(lines.size());
        }
        for (byte[] b : lines) {
            buffer.putInt(b.length).put(b);
        }
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
        if (format != ONE_RECORD && format != BATCH) {
            throw new IllegalArgumentException("stored record format must be " + ONE_RECORD + " or " + BATCH
                    + " (got: " + format + ")");
        }
        sessionId = string(buffer);
        typeId = string(buffer);
        workerId = string(buffer);
        timestamp = buffer.getLong();
        int count = format == BATCH ? buffer.getInt() : 1;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(string(buffer));
        }
        json = List.copyOf(lines);
    }

    @Override
    public void decode(InputStream inputStream) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        inputStream.transferTo(bytes);
        decode(bytes.toByteArray());
    }

    @Override
    public String toString() {
        return "StoredRecord{" + sessionId + "/" + typeId + "/" + workerId + "@" + timestamp
                + (json.size() > 1 ? ", " + json.size() + " records}" : "}");
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
