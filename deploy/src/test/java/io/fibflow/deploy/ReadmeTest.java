package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's first screen stays true: its Java quick start is the code {@code QuickstartIT} runs. */
class ReadmeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shouldShowTheQuickstartExactlyAsCompiled() throws IOException {
        List<String> source = Files.readAllLines(ROOT.resolve("deploy/src/test/java/io/fibflow/deploy/Quickstart.java"));
        int start = indexOf(source, "// readme:start") + 1;
        int end = indexOf(source, "// readme:end");
        List<String> body = source.subList(start, end);
        int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(ReadmeTest::leadingSpaces).min().orElse(0);
        String snippet = body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"));
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.contains(snippet), "README.md must contain the quick start of Quickstart.java verbatim:\n" + snippet);
    }

    @Test
    void shouldGiveTheDemoAndTheTestCommandOnTheFirstScreen() throws IOException {
        List<String> firstScreen = Files.readAllLines(ROOT.resolve("README.md")).stream().limit(25).toList();
        assertTrue(firstScreen.stream().anyMatch(l -> l.startsWith("./fibflow dev --demo")), "README: ./fibflow dev --demo");
        assertTrue(firstScreen.stream().anyMatch(l -> l.startsWith("bin/test")), "README: bin/test");
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        assertTrue(ci.contains("\nbin/test"), ".ci/run must call the README's test command");
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("marker " + marker + " missing from Quickstart.java");
    }

    private static int leadingSpaces(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }
}
