package dev.gatehouse.cli;

import dev.gatehouse.io.InputFiles;
import dev.gatehouse.handlers.push.RegistryEvent;
import dev.gatehouse.handlers.push.RegistryEventJson;
import dev.gatehouse.handlers.push.RegistryEventParser;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gatehouse events parse FILE}: one JSON line per event of the envelope. */
@Command(
        name = "parse",
        mixinStandardHelpOptions = true,
        description = {
            "Parse an ECR EventBridge event or a distribution notification envelope and print one JSON line per "
                    + "event: image-pushed, attachment-pushed (signature, attestation, SBOM or referrers index of a "
                    + "subject digest) or ignored (with the reason).",
            "Exit codes: 0 printed, 2 malformed envelope or I/O error (one line on stderr)."
        })
final class EventsParseCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the event or envelope as JSON; '-' reads stdin")
    String file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<RegistryEvent> events;
        try {
            events = new RegistryEventParser().parse(read());
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (RegistryEvent event : events) {
            out.println(UntrustedJson.mapper().writeValueAsString(RegistryEventJson.toJson(event)));
        }
        return 0;
    }

    private byte[] read() throws IOException {
        int limit = RegistryEventParser.MAX_ENVELOPE_BYTES;
        byte[] content;
        if (file.equals("-")) {
            content = System.in.readNBytes(limit + 1);
        } else {
            content = InputFiles.read(Path.of(file), limit);
        }
        if (content.length > limit) {
            throw new IOException(file + " is larger than the registry event limit of " + limit + " bytes");
        }
        return content;
    }
}
