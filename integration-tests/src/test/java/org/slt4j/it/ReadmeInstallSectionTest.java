package org.slt4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use it in your project" snippets are the consumer projects' own lines: each code block announced
 * by {@code <!-- from FILE [readme:NAME] -->} equals, up to indentation, the lines between the
 * {@code [readme:NAME]} and {@code [/readme:NAME]} markers of FILE, and every marked region is quoted.
 */
class ReadmeInstallSectionTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern QUOTE = Pattern.compile(
            "<!-- from (\\S+) \\[readme:([\\w-]+)\\] -->\\n```\\w+\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern REGION = Pattern.compile("\\[readme:([\\w-]+)\\]");

    @Test
    void everyQuotedSnippetIsTheConsumerProjectsLinesVerbatim() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher quote = QUOTE.matcher(readme);
        int quotes = 0;
        while (quote.find()) {
            quotes++;
            Path file = ROOT.resolve(quote.group(1));
            assertThat(file).as("quoted file").isRegularFile();
            assertThat(quote.group(3)).as("README snippet %s of %s", quote.group(2), quote.group(1))
                    .isEqualTo(region(Files.readAllLines(file), quote.group(2)));
        }
        assertThat(quotes).as("quoted snippets").isGreaterThanOrEqualTo(8);
    }

    @Test
    void everyMarkedRegionOfTheConsumerProjectsIsQuoted() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Set<String> quoted = new HashSet<>();
        Matcher quote = QUOTE.matcher(readme);
        while (quote.find()) {
            quoted.add(quote.group(1) + " " + quote.group(2));
        }
        List<String> marked = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("integration-tests/src/it"))) {
            for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                Matcher region = REGION.matcher(Files.readString(file));
                while (region.find()) {
                    marked.add(ROOT.relativize(file).toString().replace('\\', '/') + " " + region.group(1));
                }
            }
        }
        assertThat(marked).isNotEmpty();
        assertThat(quoted).containsAll(marked);
    }

    /** The lines strictly between the region's markers, without their common indentation. */
    private static String region(List<String> lines, String name) {
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("[readme:" + name + "]")) {
                start = i;
            } else if (lines.get(i).contains("[/readme:" + name + "]")) {
                end = i;
            }
        }
        assertThat(start).as("[readme:%s] marker", name).isNotNegative();
        assertThat(end).as("[/readme:%s] marker", name).isGreaterThan(start + 1);
        List<String> body = lines.subList(start + 1, end);
        int indent = body.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"));
    }
}
