package org.slt4j.ui;

import com.google.gson.JsonObject;

/**
 * An HTTP answer of the JSON endpoints: status code and body.
 *
 * @param status the HTTP status
 * @param body   the JSON body
 */
record Answer(int status, String body) {
    static Answer ok(JsonObject body) {
        return new Answer(200, body.toString());
    }

    /** An error answer {@code {"error": message}}. */
    static Answer error(int status, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return new Answer(status, o.toString());
    }
}
