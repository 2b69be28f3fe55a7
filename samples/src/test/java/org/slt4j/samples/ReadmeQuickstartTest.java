package org.slt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's quickstart is the compiled code between the {@code [quickstart]} markers of QuickstartSample. */
class ReadmeQuickstartTest {

    @Test
    void readmeQuotesTheQuickstartSampleLinesVerbatim() throws IOException {
        List<String> sample = Files.readAllLines(
                Path.of("src/main/java/org/slt4j/samples/QuickstartSample.java"));
        int start = sample.indexOf("        // [quickstart]");
        int end = sample.indexOf("        // [/quickstart]");
        assertThat(start).as("[quickstart] marker").isNotNegative();
        assertThat(end).as("[/quickstart] marker").isGreaterThan(start + 1);
        String quoted = sample.subList(start + 1, end).stream().map(line -> line.substring(8))
                .collect(Collectors.joining("\n", "```java\n", "\n```"));

        assertThat(Files.readString(Path.of("../README.md"))).contains(quoted);
    }
}
