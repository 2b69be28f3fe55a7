package org.slt4j.ui;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.slt4j.report.storage.StoredRun;

/**
 * The StatsStorage instances attached to the UI and the {@link SessionState} of each slt4j session in them.
 *
 * <p>A session's state is read in full once: when the first storage event of one of its slt4j records arrives (a
 * run the UI watches from its start), or when the page first asks for it (a storage attached after the run).
 * After that, storage events bring each new record to it, so a poll never reads the whole session again.
 * Thread-safe: the UI server's event thread reports events, worker threads read.
 */
final class Sessions {
    /** A session in the list: where it is stored. */
    record Listed(StatsStorage storage, String sessionId) {
    }

    private final List<StatsStorage> storages = new CopyOnWriteArrayList<>();
    private final Map<String, SessionState> states = new ConcurrentHashMap<>();

    void attach(StatsStorage storage) {
        storages.add(storage);
    }

    void detach(StatsStorage storage) {
        storages.remove(storage);
        states.values().removeIf(s -> s.storage() == storage);
    }

    /**
     * Takes storage events (blocking: storage access): new records go to the states already read, and a session
     * whose first slt4j record this is gets its state.
     */
    void changed(Collection<StatsStorageEvent> events) {
        Map<String, List<StatsStorageEvent>> bySession = new LinkedHashMap<>();
        for (StatsStorageEvent e : events) {
            if (e.getSessionID() != null && storages.contains(e.getStatsStorage())) {
                bySession.computeIfAbsent(e.getSessionID(), id -> new ArrayList<>()).add(e);
            }
        }
        bySession.forEach((id, list) -> {
            SessionState state = states.get(id);
            StatsStorage storage = list.get(0).getStatsStorage();
            if (state == null && StoredRun.hasSlt4jRecords(storage, id)) {
                // Blocks while a request reads the same session; the records read are then skipped below.
                state = states.computeIfAbsent(id, k -> SessionState.read(storage, k));
            }
            if (state != null) {
                state.ingest(list);
            }
        });
    }

    /** Every session with slt4j records, in every attached storage; reads no updates. */
    List<Listed> all() {
        List<Listed> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (StatsStorage storage : storages) {
            for (String id : StoredRun.sessionIds(storage)) {
                if (seen.add(id)) {
                    all.add(new Listed(storage, id));
                }
            }
        }
        return all;
    }

    /**
     * The state of the session with slt4j records of that ID, read now if it was not yet (blocking). The first
     * attached storage holding it wins; when no storage has it, {@code loader} may attach one (the UI server's
     * StatsStorage provider in multi-session mode) and the lookup is tried once more.
     */
    Optional<SessionState> find(String sessionId, Predicate<String> loader) {
        Optional<SessionState> found = lookUp(sessionId);
        if (found.isEmpty() && loader.test(sessionId)) {
            found = lookUp(sessionId);
        }
        return found;
    }

    private Optional<SessionState> lookUp(String sessionId) {
        SessionState known = states.get(sessionId);
        if (known != null) {
            return Optional.of(known);
        }
        for (StatsStorage storage : storages) {
            if (storage.sessionExists(sessionId) && StoredRun.hasSlt4jRecords(storage, sessionId)) {
                return Optional.of(states.computeIfAbsent(sessionId, id -> SessionState.read(storage, id)));
            }
        }
        return Optional.empty();
    }
}
