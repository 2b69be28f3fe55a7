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
        List<SessionSnapshot> all = sessions.all();
        all.sort(Comparator.comparing(SessionSnapshot::start).reversed());
        JsonObject o = new JsonObject();
        o.addProperty("multiSession", multiSession);
        JsonArray list = new JsonArray();
        all.forEach(s -> list.add(s.summary(overviewUrl(s.sessionId()))));
        o.add("sessions", list);
        return Answer.ok(o);
    }

    /**
     * {@code GET /slt/api/data?session=ID[&smoothing=W][&since=VERSION]}: the chart data. With {@code since} equal
     * to the session's current version the answer is only {@code {"changed": false, "version": ...}}.
     */
    Answer data(String sessionId, String smoothingParam, String sinceParam) {
        double smoothing;
        long since;
        try {
            smoothing = smoothingParam == null || smoothingParam.isEmpty() ? 0 : Double.parseDouble(smoothingParam);
            since = sinceParam == null || sinceParam.isEmpty() ? Long.MIN_VALUE : Long.parseLong(sinceParam);
        } catch (NumberFormatException e) {
            return Answer.error(400, "smoothing must be a number in [0, 1) and since an integer version");
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            return Answer.error(400, "smoothing must be in [0, 1) (got: " + smoothingParam + ")");
        }
        Optional<Answer> missing = checkSession(sessionId);
        if (missing.isPresent()) {
            return missing.get();
        }
        return sessions.find(sessionId, loader)
                .map(s -> Answer.ok(s.version() == since ? unchanged(s) : s.data(smoothing, overviewUrl(sessionId))))
                .orElseGet(() -> unknown(sessionId));
    }

    /** {@code GET /slt/api/latest?session=ID}: the latest LLC estimate in full ({@code "llc": null} if none). */
    Answer latest(String sessionId) {
        Optional<Answer> missing = checkSession(sessionId);
        if (missing.isPresent()) {
            return missing.get();
        }
        return sessions.find(sessionId, loader).map(s -> Answer.ok(s.latest())).orElseGet(() -> unknown(sessionId));
    }

    private static JsonObject unchanged(SessionSnapshot s) {
        JsonObject o = new JsonObject();
        o.addProperty("sessionId", s.sessionId());
        o.addProperty("version", s.version());
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
