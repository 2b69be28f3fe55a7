package org.slt4j.ui;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.deeplearning4j.core.storage.StatsStorage;
import org.slt4j.report.storage.StoredRun;

/**
 * The StatsStorage instances attached to the UI and a cache of their slt4j sessions. Storage events, attach and
 * detach bump a change counter; a session's snapshot is re-read only when its counter moved since it was read, so
 * polling the page costs nothing while nothing changes. Thread-safe: the UI server's event thread reports
 * changes, worker threads read.
 */
final class Sessions {
    private final List<StatsStorage> storages = new CopyOnWriteArrayList<>();
    private final AtomicLong counter = new AtomicLong();
    private final Map<String, Long> lastChange = new ConcurrentHashMap<>();
    private final Map<String, SessionSnapshot> snapshots = new ConcurrentHashMap<>();
    private volatile long lastAttachOrDetach;

    void attach(StatsStorage storage) {
        storages.add(storage);
        lastAttachOrDetach = counter.incrementAndGet();
    }

    void detach(StatsStorage storage) {
        storages.remove(storage);
        snapshots.values().removeIf(s -> s.storage() == storage);
        lastAttachOrDetach = counter.incrementAndGet();
    }

    /** Records that the storage received data for the session. */
    void changed(String sessionId) {
        if (sessionId != null) {
            lastChange.put(sessionId, counter.incrementAndGet());
        }
    }

    /** The session's change counter: it moves whenever the session's data may have changed. */
    long version(String sessionId) {
        return Math.max(lastAttachOrDetach, lastChange.getOrDefault(sessionId, 0L));
    }

    /** Every session with slt4j records, in every attached storage (blocking). */
    List<SessionSnapshot> all() {
        List<SessionSnapshot> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (StatsStorage storage : storages) {
            for (String id : StoredRun.sessionIds(storage)) {
                if (seen.add(id)) {
                    all.add(snapshot(storage, id));
                }
            }
        }
        return all;
    }

    /**
     * The session with slt4j records of that ID, read now or from the cache (blocking). The first attached storage
     * holding it wins; when no storage has it, {@code loader} may attach one (the UI server's StatsStorage provider
     * in multi-session mode) and the lookup is tried once more.
     */
    Optional<SessionSnapshot> find(String sessionId, Predicate<String> loader) {
        Optional<SessionSnapshot> found = lookUp(sessionId);
        if (found.isEmpty() && loader.test(sessionId)) {
            found = lookUp(sessionId);
        }
        return found;
    }

    private Optional<SessionSnapshot> lookUp(String sessionId) {
        for (StatsStorage storage : storages) {
            if (storage.sessionExists(sessionId) && StoredRun.sessionIds(storage).contains(sessionId)) {
                return Optional.of(snapshot(storage, sessionId));
            }
        }
        return Optional.empty();
    }

    private SessionSnapshot snapshot(StatsStorage storage, String sessionId) {
        long version = version(sessionId);
        SessionSnapshot cached = snapshots.get(sessionId);
        if (cached != null && cached.version() == version && cached.storage() == storage) {
            return cached;
        }
        SessionSnapshot fresh = SessionSnapshot.read(storage, sessionId, version);
        snapshots.put(sessionId, fresh);
        return fresh;
    }
}
