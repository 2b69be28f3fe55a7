package org.slt4j.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.junit.jupiter.api.Test;
import org.slt4j.report.RecordType;

class SltModuleTest {
    @Test
    void theUiServerFindsTheModuleThroughTheServiceLoader() {
        List<Class<?>> found = new ArrayList<>();
        ServiceLoader.load(UIModule.class).forEach(m -> found.add(m.getClass()));

        assertThat(found).contains(SltModule.class);
    }

    @Test
    void storageEventsOfEverySlt4jTypeAndOfStatsListenerReachTheModule() {
        List<String> ids = new SltModule().getCallbackTypeIDs();

        for (RecordType type : RecordType.values()) {
            assertThat(ids).contains(type.typeId());
        }
        assertThat(ids).contains(StatsListener.TYPE_ID);
    }

    @Test
    void theModuleServesThePageAndThreeJsonEndpoints() {
        assertThat(new SltModule().getRoutes()).extracting(Route::getRoute)
                .containsExactly("/slt", "/slt/api/sessions", "/slt/api/data", "/slt/api/latest");
    }

    @Test
    void thePageLoadsOnlyAssetsTheUiServerServes() throws IOException {
        String html = resource("deeplearning4jUiAssets/slt/slt.html");
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        List<String> urls = new ArrayList<>();
        while (m.find()) {
            urls.add(m.group(1));
        }

        assertThat(urls).isNotEmpty().allMatch(u -> u.startsWith("/"), "is a path on the UI server");
        urls.stream().filter(u -> u.startsWith("/assets/slt/"))
                .forEach(u -> assertThat(getClass().getClassLoader()
                        .getResource("deeplearning4jUiAssets/slt/" + u.substring("/assets/slt/".length())))
                        .as(u).isNotNull());
        urls.stream().filter(u -> u.startsWith("/assets/webjars/"))
                .forEach(u -> assertThat(getClass().getClassLoader()
                        .getResource("META-INF/resources/webjars/" + u.substring("/assets/webjars/".length())))
                        .as(u).isNotNull());
    }

    @Test
    void theScriptNeverInsertsHtmlFromData() throws IOException {
        String js = resource("deeplearning4jUiAssets/slt/slt.js");

        assertThat(js).doesNotContain(".innerHTML =").doesNotContain(".html(").doesNotContain("insertAdjacentHTML")
                .doesNotContain("document.write");
    }

    private String resource(String path) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
