package org.slt4j.ui;

import com.google.common.base.Suppliers;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.HttpMethod;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.I18NResource;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slt4j.report.RecordType;

/**
 * The slt4j page of the DL4J training UI. The UI server finds it through {@code META-INF/services}; users only put
 * slt4j (and deeplearning4j-ui) on the UI server's classpath, attach their StatsStorage as usual and open
 * {@code http://localhost:9000/slt}.
 *
 * <p>Routes (all GET):
 * <ul>
 *   <li>{@code /slt}: the page (session selector, LLC with a one-std band beside the loss, symmetry bound, per-layer
 *       effective width, ranks, dead and duplicate fractions, events, the latest estimate's chains). Assets are
 *       under {@code /assets/slt/}; the charts use the UI's own jQuery, CoreUI and flot.</li>
 *   <li>{@code /slt/api/sessions}: the sessions with slt4j records in the attached storages, newest first.</li>
 *   <li>{@code /slt/api/data?session=ID[&since=VERSION]}: the chart data of a session: all of it, or with the
 *       version of the page's last answer only what changed since (see {@link SessionState}); the loss and the
 *       user metrics downsampled to at most {@value org.slt4j.report.SeriesBuckets#MAX_BUCKETS} buckets with
 *       their minima and maxima.</li>
 *   <li>{@code /slt/api/latest?session=ID}: the latest LLC estimate in full (the record schema's llc object).</li>
 * </ul>
 * Bad parameters answer 400 and unknown sessions 404, with a JSON body {@code {"error": ...}}; an unexpected error
 * answers 500 without details (they are logged).
 *
 * <p>Handlers run on the Vert.x event loop and never block it: storage reads run in {@code executeBlocking}. A
 * session is read in full once; after that the storage events bring its new records one by one.
 */
public final class SltModule implements UIModule {
    private static final Logger log = LoggerFactory.getLogger(SltModule.class);
    private static final String PAGE = "deeplearning4jUiAssets/slt/slt.html";
    private static final String JSON = "application/json; charset=utf-8";

    private final Sessions sessions = new Sessions();
    private final Supplier<Buffer> page = Suppliers.memoize(SltModule::loadPage);

    /** The module; the UI server creates it through the service loader. */
    public SltModule() {
    }

    /** The slt4j record types and StatsListener's: a session's data changes when one of these arrives. */
    @Override
    public List<String> getCallbackTypeIDs() {
        List<String> ids = new ArrayList<>();
        for (RecordType type : RecordType.values()) {
            ids.add(type.typeId());
        }
        ids.add(StatsListener.TYPE_ID);
        return ids;
    }

    @Override
    public List<Route> getRoutes() {
        return List.of(
                new Route("/slt", HttpMethod.GET, (args, rc) -> page(rc)),
                new Route("/slt/api/sessions", HttpMethod.GET, (args, rc) -> answer(rc, Api::sessions)),
                new Route("/slt/api/data", HttpMethod.GET, (args, rc) -> answer(rc,
                        api -> api.data(rc.request().getParam("session"), rc.request().getParam("since")))),
                new Route("/slt/api/latest", HttpMethod.GET, (args, rc) -> answer(rc,
                        api -> api.latest(rc.request().getParam("session")))));
    }

    @Override
    public void reportStorageEvents(Collection<StatsStorageEvent> events) {
        sessions.changed(events);
    }

    @Override
    public void onAttach(StatsStorage statsStorage) {
        sessions.attach(statsStorage);
    }

    @Override
    public void onDetach(StatsStorage statsStorage) {
        sessions.detach(statsStorage);
    }

    @Override
    public List<I18NResource> getInternationalizationResources() {
        return List.of();
    }

    private void page(RoutingContext rc) {
        rc.vertx().<Buffer>executeBlocking(promise -> promise.complete(page.get()), false, result -> {
            if (result.failed()) {
                log.warn("slt4j UI: cannot load the page", result.cause());
                rc.response().setStatusCode(500).end("slt4j UI: the page is missing from the classpath");
                return;
            }
            rc.response().putHeader("content-type", "text/html; charset=utf-8")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                            + "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'")
                    .end(result.result());
        });
    }

    private void answer(RoutingContext rc, Function<Api, Answer> handler) {
        rc.vertx().<Answer>executeBlocking(promise -> promise.complete(handler.apply(api())), false, result -> {
            Answer answer = result.succeeded() ? result.result() : Answer.error(500, "internal error");
            if (result.failed()) {
                log.warn("slt4j UI: {} failed", rc.request().uri(), result.cause());
            }
            rc.response().setStatusCode(answer.status()).putHeader("content-type", JSON)
                    .putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff")
                    .end(answer.body());
        });
    }

    /** The API for the current server (its mode and session loader can change when it restarts). */
    private Api api() {
        VertxUIServer server = VertxUIServer.getInstance();
        var loader = server == null ? null : server.getStatsStorageLoader();
        return new Api(sessions, VertxUIServer.getMultiSession().get(),
                id -> loader != null && Boolean.TRUE.equals(loader.apply(id)));
    }

    private static Buffer loadPage() {
        try (InputStream in = SltModule.class.getClassLoader().getResourceAsStream(PAGE)) {
            return Buffer.buffer(Objects.requireNonNull(in, PAGE).readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
