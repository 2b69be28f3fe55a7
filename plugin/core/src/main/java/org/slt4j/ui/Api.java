package org.slt4j.ui;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The JSON endpoints as plain functions from request parameters to {@link Answer}s, so they can be tested without
 * a server. Every method reads storage: call them off the event loop. Bad parameters answer 400, unknown sessions
 * 404, always with a JSON body {@code {"error": ...}}.
 */
final class Api {
    private final Sessions sessions;
    private final boolean multiSession;
    private final Predicate<String> loader;

    /**
     * @param multiSession whether the UI server runs in multi-session mode (the training overview's URL differs)
     * @param loader       tries to attach a storage holding an unknown session; returns whether it did
     */
    Api(Sessions sessions, boolean multiSession, Predicate<String> loader) {
        this.sessions = sessions;
        this.multiSession = multiSession;
        this.loader = loader;
    }

    /** {@code GET /slt/api/sessions}: the sessions with slt4j records, newest first. */
    Answer sessions() {
        List<Sessions.Listed> all = sessions.all();
        all.sort(Comparator.comparing((Sessions.Listed s) -> SessionState.start(s.storage(), s.sessionId()))
                .reversed());
        JsonObject o = new JsonObject();
        o.addProperty("multiSession", multiSession);
        JsonArray list = new JsonArray();
        all.forEach(s -> list.add(SessionState.summary(s.storage(), s.sessionId(), overviewUrl(s.sessionId()))));
        o.add("sessions", list);
        return Answer.ok(o);
    }

    /**
     * {@code GET /slt/api/data?session=ID[&since=CURSOR]}: the chart data. Without {@code since}, or with a cursor of
     * another state of the session, everything ({@code "full": true}). With the cursor of the last answer: only what
     * changed since ({@code "full": false}), or only {@code {"changed": false, ...}} when nothing did.
     */
    Answer data(String sessionId, String sinceParam) {
        Optional<Answer> missing = checkSession(sessionId);
        if (missing.isPresent()) {
            return missing.get();
        }
        String[] cursor = sinceParam == null || sinceParam.isEmpty() ? null : sinceParam.split("\\.", -1);
        long sinceEpoch;
        long sinceVersion;
        try {
            sinceEpoch = cursor == null ? 0 : Long.parseLong(cursor[0]);
            sinceVersion = cursor == null ? -1 : Long.parseLong(cursor[1]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return Answer.error(400, "since must be the version of an earlier answer, EPOCH.VERSION (got: "
                    + sinceParam + ")");
        }
        if (cursor != null && (cursor.length != 2 || sinceVersion < 0)) {
            return Answer.error(400, "since must be the version of an earlier answer, EPOCH.VERSION (got: "
                    + sinceParam + ")");
        }
        return sessions.find(sessionId, loader).map(s -> {
            String current = s.cursor();
            if (current.equals(sinceParam)) {
                return Answer.ok(unchanged(s.sessionId(), current));
            }
            boolean sameState = current.startsWith(sinceEpoch + ".");
            return Answer.ok(s.data(sameState ? sinceVersion : -1, overviewUrl(sessionId)));
        }).orElseGet(() -> unknown(sessionId));
    }

    /** {@code GET /slt/api/latest?session=ID}: the latest LLC estimate in full ({@code "llc": null} if none). */
    Answer latest(String sessionId) {
        Optional<Answer> missing = checkSession(sessionId);
        if (missing.isPresent()) {
            return missing.get();
        }
        return sessions.find(sessionId, loader).map(s -> Answer.ok(s.latest())).orElseGet(() -> unknown(sessionId));
    }

    private static JsonObject unchanged(String sessionId, String cursor) {
        JsonObject o = new JsonObject();
        o.addProperty("sessionId", sessionId);
        o.addProperty("version", cursor);
        o.addProperty("changed", false);
        return o;
    }

    private static Optional<Answer> checkSession(String sessionId) {
        return sessionId == null || sessionId.isEmpty()
                ? Optional.of(Answer.error(400, "the session parameter is required")) : Optional.empty();
    }

    private static Answer unknown(String sessionId) {
        return Answer.error(404, "no slt4j session with ID " + sessionId);
    }

    /** The built-in training overview of the session. */
    private String overviewUrl(String sessionId) {
        return multiSession ? "/train/" + URLEncoder.encode(sessionId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/overview" : "/train/overview";
    }
}
