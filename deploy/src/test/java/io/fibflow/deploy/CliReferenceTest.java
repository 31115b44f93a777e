package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/** docs/cli.md is the usage help of every {@code fibflow} command, generated from the picocli classes. */
class CliReferenceTest {

    @Test
    void shouldKeepTheCliReferenceInStepWithTheCommands() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# The `fibflow` command\n\n")
                .append("Generated from the picocli classes in `deploy/src/main/java/io/fibflow/deploy`; ")
                .append("`CliReferenceTest` fails when this file is stale.\n\n")
                .append("Run it as `./fibflow ...` from a checkout (builds once) or `java -jar deploy/target/fibflow.jar ...`. ")
                .append("Every command that talks to a cluster defaults to the dev stack's addresses; the ")
                .append("`FIBFLOW_BOOTSTRAP_SERVERS`, `FIBFLOW_SCHEMA_REGISTRY_URL` and `FIBFLOW_API_URL` environment ")
                .append("variables change those defaults.\n");
        append(md, new CommandLine(new FibflowCommand()), "fibflow");
        String generated = md.toString();
        // Regenerate with: mvn -pl deploy test -Dtest=CliReferenceTest -Dfibflow.docs.write=true
        Path doc = Path.of(System.getProperty("user.dir")).resolve("../docs/cli.md").normalize();
        if (Boolean.getBoolean("fibflow.docs.write")) {
            Files.writeString(doc, generated);
        }
        assertEquals(generated, Files.readString(doc), "docs/cli.md is stale; regenerate it (see comment)");
    }

    private static void append(StringBuilder md, CommandLine cmd, String path) {
        cmd.setUsageHelpWidth(100);
        md.append("\n## `").append(path).append("`\n\n```\n")
                .append(cmd.getUsageMessage(Ansi.OFF).stripTrailing()).append("\n```\n");
        for (var sub : cmd.getSubcommands().entrySet()) {
            if (!sub.getKey().equals("help")) {
                append(md, sub.getValue(), path + " " + sub.getKey());
            }
        }
    }
}
