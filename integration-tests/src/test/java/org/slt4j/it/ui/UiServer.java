package org.slt4j.it.ui;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;

/** The DL4J UI server on a random port (single-session mode), with a small HTTP client for its endpoints. */
final class UiServer implements AutoCloseable {
    private final VertxUIServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    private UiServer(VertxUIServer server) {
        this.server = server;
    }

    /** Starts the UI server on a free port. */
    static UiServer start() {
        return new UiServer(VertxUIServer.getInstance(0, false, null));
    }

    VertxUIServer server() {
        return server;
    }

    /** The server's base URL on the loopback interface, e.g. {@code http://127.0.0.1:40123}. */
    String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** A GET of a path on the server. */
    HttpResponse<String> get(String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET that must answer 200 with a JSON object. */
    JsonObject json(String path) {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    /** The chart data of a session. */
    JsonObject data(String sessionId) {
        return json("/slt/api/data?session=" + encode(sessionId));
    }

    /**
     * The means the page draws from a bucketed series of the data endpoint (the loss, a user metric): per bucket,
     * the channel's sum over its count of finite values, NaN where it has none.
     */
    static List<Double> means(JsonObject buckets, int channel) {
        JsonObject c = buckets.getAsJsonArray("channels").get(channel).getAsJsonObject();
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < c.getAsJsonArray("sum").size(); i++) {
            long finite = c.getAsJsonArray("finite").get(i).getAsLong();
            out.add(finite == 0 ? Double.NaN : c.getAsJsonArray("sum").get(i).getAsDouble() / finite);
        }
        return out;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * Waits until the condition holds (storage events reach UI modules in batches, and remote posts are
     * asynchronous); fails after two minutes.
     */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        UIServer.stopInstance();
    }
}
