package org.slt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's Java snippets from the samples are the compiled code between {@code // [name]} markers: the
 * quickstart in QuickstartSample, the report in SampleRun.
 */
class ReadmeQuickstartTest {

    @Test
    void readmeQuotesTheQuickstartSampleLinesVerbatim() throws IOException {
        assertThat(Files.readString(Path.of("../README.md"))).contains(quoted("QuickstartSample.java", "quickstart"));
    }

    @Test
    void readmeQuotesTheReportLinesOfSampleRunVerbatim() throws IOException {
        assertThat(Files.readString(Path.of("../README.md"))).contains(quoted("SampleRun.java", "report"));
    }

    /** The lines between the markers, without the markers' indentation, as a fenced Java block. */
    private static String quoted(String sampleFile, String marker) throws IOException {
        List<String> sample = Files.readAllLines(Path.of("src/main/java/org/slt4j/samples", sampleFile));
        int start = indexOf(sample, "// [" + marker + "]");
        int end = indexOf(sample, "// [/" + marker + "]");
        assertThat(start).as("[%s] marker in %s", marker, sampleFile).isNotNegative();
        assertThat(end).as("[/%s] marker in %s", marker, sampleFile).isGreaterThan(start + 1);
        int indent = sample.get(start).indexOf("//");
        return sample.subList(start + 1, end).stream().map(line -> line.substring(indent))
                .collect(Collectors.joining("\n", "```java\n", "\n```"));
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        return -1;
    }
}
