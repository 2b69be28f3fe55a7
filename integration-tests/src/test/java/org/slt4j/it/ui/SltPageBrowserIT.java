package org.slt4j.it.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.fail;
import static org.slt4j.it.ui.UiServer.encode;

import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.slt4j.report.RunHistory;
import org.slt4j.testing.SyntheticRun;
import org.slt4j.report.storage.StatsStorageSink;
import org.slt4j.report.storage.StoredRun;

/**
 * The slt4j page in a real browser (headless Chromium and its chromedriver, found on the PATH): the charts show
 * every point, the event table every event, and HTML in the data stays text. Without Chromium the test is skipped,
 * except under CI ({@code CI=true}), where it fails: CI installs Debian's chromium and chromium-driver.
 */
class SltPageBrowserIT {
    private static final Path OUTPUT = Path.of("target", "ui-it");

    private static UiServer ui;
    private static SharedRuns runs;
    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void startServerAndBrowser() throws IOException {
        Optional<Path> chromium = onPath("chromium");
        Optional<Path> driver = onPath("chromedriver");
        if (chromium.isEmpty() || driver.isEmpty()) {
            String message = "chromium and chromedriver must be on the PATH for the browser test (found: chromium "
                    + chromium.orElse(null) + ", chromedriver " + driver.orElse(null)
                    + "); on Debian: apt-get install chromium chromium-driver";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        runs = SharedRuns.get();
        ui = UiServer.start();
        ui.server().attach(runs.storage());
        Files.createDirectories(OUTPUT);
        profile = Files.createTempDirectory("slt4j-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1400,1700");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (ui != null) {
            ui.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void theChartsShowEveryEstimateAndLossPointAndTheTableEveryEvent() {
        open(SharedRuns.SLT_ONLY);
        RunHistory history = StoredRun.read(runs.storage(), SharedRuns.SLT_ONLY).history();
        int events = history.events().size();
        long unreliable = history.llcRecords().stream().filter(r -> !r.estimate().isReliable()).count();

        waitFor("the LLC chart shows every estimate", () -> points("#llcChart", "llc") == UiRuns.LLC_ITERATIONS.length);
        assertThat(points("#llcChart", "loss")).isEqualTo(UiRuns.ITERATIONS);
        assertThat(points("#llcChart", "llcHigh")).as("band points").isEqualTo(UiRuns.LLC_ITERATIONS.length);
        assertThat(points("#llcChart", "llcUnreliable")).as("hollow rings on unreliable estimates")
                .isEqualTo(unreliable == 0 ? -1 : unreliable);
        assertThat(js("return $('#llcChart .slt-recalibrated').length;")).as("recalibration labels")
                .isEqualTo((long) history.llcRecalibrations().length);
        assertThat(points("#boundChart", "bound")).isEqualTo(UiRuns.ITERATIONS / 5);
        waitFor("the chain traces are drawn", () -> points("#traceChart", "trace") == 40);
        assertThat(browser.findElements(By.cssSelector("#eventTable tbody tr.slt-formation, "
                + "#eventTable tbody tr.slt-breaking"))).hasSize(events);
        assertThat(browser.findElements(By.cssSelector("#chainTable tbody tr"))).hasSize(3);

        screenshot("slt-page.png");
    }

    @Test
    void aHostileLayerNameIsShownAsTextAndNeverRuns() {
        open(SharedRuns.SLT_ONLY);
        waitFor("the width chart is drawn", () -> points("#widthChart", "layer") > 0);

        assertThat(js("return window.__xss === undefined;")).isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("img[src='x']"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("#widthChart .legend")).getText()).contains(UiRuns.HOSTILE_LAYER);
        assertThat(browser.findElement(By.id("eventTable")).getText()).contains(UiRuns.HOSTILE_LAYER);
        assertThat(new Select(browser.findElement(By.id("sessionSelect"))).getFirstSelectedOption().getText())
                .startsWith(SharedRuns.SLT_ONLY);
    }

    @Test
    void theSessionSelectorSwitchesRunsAndTheLossDrawnIsTheDataLossWithTheScoreBeside() {
        open(SharedRuns.SLT_ONLY);
        waitFor("the first session is drawn", () -> points("#llcChart", "loss") == UiRuns.ITERATIONS);

        new Select(browser.findElement(By.id("sessionSelect"))).selectByValue(SharedRuns.WITH_STATS_LISTENER);

        waitFor("the second session is drawn", () -> browser.getCurrentUrl().contains("session="
                + SharedRuns.WITH_STATS_LISTENER) && points("#llcChart", "score") == UiRuns.ITERATIONS);
        JsonObject loss = ui.data(SharedRuns.WITH_STATS_LISTENER).getAsJsonObject("loss");
        // StatsListener reported to this session too; slt4j's data loss is what is drawn, not its regularized score.
        assertThat(browser.findElement(By.id("lossSource")).getText()).isEqualTo("slt4j's loss records");
        assertThat(browser.findElement(By.id("lossKind")).getText()).isEqualTo("data loss");
        assertThat(drawnValues("#llcChart", "loss")).isEqualTo(UiServer.means(loss, 0));
        assertThat(drawnValues("#llcChart", "score")).isEqualTo(UiServer.means(loss, 1));
        assertThat(UiServer.means(loss, 0)).isNotEqualTo(UiServer.means(loss, 1));
        assertThat(legend("#llcChart")).contains("data loss (right axis)")
                .contains("score, with regularization (outer right axis)");
        waitFor("the chain traces are drawn", () -> points("#traceChart", "trace") == 40);
        // Stages: one shaded band per stage of the API's answer (event and recalibration lines have zero width).
        Object bands = js("return $('#llcChart').data('plot').getOptions().grid.markings"
                + ".filter(function (m) { return m.xaxis.from !== m.xaxis.to; }).length;");
        assertThat(((Number) bands).intValue()).isEqualTo(ui.data(SharedRuns.WITH_STATS_LISTENER)
                .getAsJsonObject("llc").getAsJsonArray("stages").size()).isPositive();
        screenshot("slt-page-stats-listener.png");
    }

    @Test
    void theMetricSelectorDrawsTheChosenUserMetricBesideTheLlcAndShowsHostileNamesAsText() {
        open(SharedRuns.SLT_ONLY);
        waitFor("the first metric is drawn", () -> points("#metricChart", "metric")
                == UiRuns.ITERATIONS / UiRuns.EVALUATION_EVERY);
        assertThat(new Select(browser.findElement(By.id("metricSelect"))).getFirstSelectedOption().getText())
                .isEqualTo("test accuracy");
        assertThat(points("#metricChart", "llc")).isEqualTo(UiRuns.LLC_ITERATIONS.length);

        new Select(browser.findElement(By.id("metricSelect"))).selectByVisibleText("weight norm "
                + UiRuns.HOSTILE_LAYER);

        waitFor("the hand-recorded metric is drawn", () -> points("#metricChart", "metric") == UiRuns.ITERATIONS);
        assertThat(legend("#metricChart")).contains("weight norm " + UiRuns.HOSTILE_LAYER + " (right axis)");
        assertThat(js("return window.__xss === undefined;")).isEqualTo(true);
    }

    @Test
    void smoothingDrawsTheDebiasedEmaOfTheDrawnLoss() {
        open(SharedRuns.SLT_ONLY);
        waitFor("the loss is drawn", () -> points("#llcChart", "loss") == UiRuns.ITERATIONS);

        js("var s = document.getElementById('smoothing'); s.value = '0.8';"
                + "s.dispatchEvent(new Event('change'));");

        waitFor("the smoothed loss is drawn", () -> points("#llcChart", "lossSmoothed") == UiRuns.ITERATIONS);
        // TensorBoard's smoothing: an EMA with weight w, divided by 1 - w^k after k points.
        List<Double> raw = drawnValues("#llcChart", "loss");
        List<Double> smoothed = drawnValues("#llcChart", "lossSmoothed");
        double last = 0;
        for (int k = 0; k < raw.size(); k++) {
            last = 0.8 * last + 0.2 * raw.get(k);
            assertThat(smoothed.get(k)).isCloseTo(last / (1 - Math.pow(0.8, k + 1)), within(1e-12));
        }
        assertThat(smoothed.get(raw.size() - 1)).isNotEqualTo(raw.get(raw.size() - 1));
    }

    /**
     * A run long enough that the loss buckets double their width while the page polls, more scans than the page
     * keeps and more events than it lists: the page that merged the polls draws exactly what a page loaded afresh
     * draws.
     */
    @Test
    void aPagePollingALongRunDrawsExactlyWhatAFreshPageDraws() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        ui.server().attach(storage);
        SyntheticRun run = new SyntheticRun(100, 50, 100);
        StatsStorageSink sink = new StatsStorageSink(storage);
        try {
            sink.write(run.header());
            long[] phases = {3_000, 9_000, 20_000, 41_000};
            long from = 0;
            for (long to : phases) {
                run.records(from, to).forEach(sink::write);
                if (from == 0) {
                    open(SyntheticRun.SESSION);
                }
                // The event of an iteration is its last record (to / 100 events so far).
                waitFor("the page shows iteration " + (to - 1), () -> Boolean.TRUE.equals(js("var v = window.sltView;"
                        + "return !!v && v.lastIteration === arguments[0] && v.eventTotal === arguments[1];",
                        to - 1, to / 100)));
                from = to;
            }
            Object polled = js("return JSON.stringify(window.sltView);");
            Object answers = js("return JSON.stringify(window.sltAnswers);");

            browser.navigate().refresh();
            waitFor("the fresh page shows the whole run", () -> Boolean.TRUE.equals(js("var v = window.sltView;"
                    + "return !!v && v.lastIteration === 40999 && v.eventTotal === 410;")));

            assertThat(js("return JSON.stringify(window.sltView);")).isEqualTo(polled);
            assertThat((String) answers).as("the first page merged polls").startsWith("{\"full\":1,")
                    .doesNotContain("\"changes\":0");
            assertThat(js("return window.sltView.loss.width;")).isEqualTo(32L);
            assertThat(points("#llcChart", "loss")).isEqualTo(41_000 / 32 + 1);
            assertThat(points("#llcChart", "lossMax")).as("the min/max envelope").isEqualTo(41_000 / 32 + 1);
            assertThat(js("return window.sltView.bound.stride;")).isEqualTo(2L);
            assertThat(points("#boundChart", "bound")).isEqualTo(41_000 / 50 / 2);
            assertThat(browser.findElements(By.cssSelector("#eventTable tbody tr.slt-breaking, "
                    + "#eventTable tbody tr.slt-formation"))).hasSize(200);
            assertThat(browser.findElement(By.id("eventNote")).getText()).contains("The latest 200 of 410 events");
            assertThat(browser.findElement(By.id("scanNote")).getText())
                    .contains("One scan in 2 is drawn here (410 of 820)");
            assertThat(browser.findElement(By.id("skippedNote")).getText())
                    .isEqualTo("Not analysed by the latest scan: pool (SubsamplingLayer has no weights).");
            assertThat(legend("#llcChart")).contains("data loss, mean per 32 iterations, shaded: range");
            screenshot("slt-page-long-run.png");
        } finally {
            sink.close();
            ui.server().detach(storage);
        }
    }

    /** Saves what the browser shows under target/ui-it, to look at after a run. */
    private static void screenshot(String name) {
        try {
            Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, OUTPUT.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void open(String session) {
        browser.get(ui.base() + "/slt?session=" + encode(session));
    }

    /** The y values of the flot series with the given role in a chart, as drawn. */
    private static List<Double> drawnValues(String chart, String role) {
        Object values = js("var p = $(arguments[0]).data('plot'); var role = arguments[1];"
                + "return p.getData().filter(function (x) { return x.sltRole === role; })[0].data"
                + ".map(function (point) { return point[1]; });", chart, role);
        return ((List<?>) values).stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    private static String legend(String chart) {
        return browser.findElement(By.cssSelector(chart + " .legend")).getText();
    }

    /** Points of the flot series with the given role in a chart; -1 when the chart or series is not there. */
    private static long points(String chart, String role) {
        Object n = js("var p = $(arguments[0]).data('plot'); if (!p) { return -1; } var role = arguments[1];"
                + "var s = p.getData().filter(function (x) { return x.sltRole === role; });"
                + "return s.length === 0 ? -1 : s[0].data.length;", chart, role);
        return ((Number) n).longValue();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(60)).withMessage(what).until(b -> condition.getAsBoolean());
    }

    private static Optional<Path> onPath(String program) {
        List<String> dirs = Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        return dirs.stream().map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }
}
