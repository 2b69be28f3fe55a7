package org.slt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SampleRunTest {

    @Test
    void optionsDefaultToUiOnPort9000AndAnOutputDirectoryPerSample() {
        SampleRun.Options options = SampleRun.Options.parse("grokking");

        assertThat(options).isEqualTo(new SampleRun.Options(false, true, SampleRun.DEFAULT_PORT,
                Path.of("target", "slt4j-run", "grokking"), false));
    }

    @Test
    void everyOptionIsParsed() {
        SampleRun.Options options = SampleRun.Options.parse("x", "--quick", "--no-ui", "--port", "0", "--out",
                "somewhere", "--exit");

        assertThat(options).isEqualTo(new SampleRun.Options(true, false, 0, Path.of("somewhere"), true));
    }

    @Test
    void unknownOptionsAndMissingOrBadValuesAreRejectedWithTheUsage() {
        assertThatThrownBy(() -> SampleRun.Options.parse("x", "--fast"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fast")
                .hasMessageContaining("--quick");
        assertThatThrownBy(() -> SampleRun.Options.parse("x", "--out"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--out needs a value");
        assertThatThrownBy(() -> SampleRun.Options.parse("x", "--port", "--exit"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> SampleRun.Options.parse("x", "--port", "70000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..65535 (got: 70000)");
    }

    @Test
    void theUiServesSlt4jsAndDl4jsPagesOnARandomPortUntilFinish() throws IOException, InterruptedException {
        SampleRun run = SampleRun.start("ui-test", new String[] {"--port", "0", "--exit", "--out",
            "target/sample-tests/ui-test"});
        int port = run.port();
        assertThat(port).isPositive();

        int slt = get("http://localhost:" + port + "/slt");
        int train = get("http://localhost:" + port + "/train");
        run.finish();

        assertThat(slt).as("/slt").isEqualTo(200);
        assertThat(train).as("/train").isEqualTo(200);
    }

    private static int get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
