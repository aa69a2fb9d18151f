package dev.gatehouse.cli;

import dev.gatehouse.io.InputFiles;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.sbom.SbomReader;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse sbom}: check and read CycloneDX and SPDX SBOMs. */
@Command(
        name = "sbom",
        mixinStandardHelpOptions = true,
        description = "Validate SBOMs (CycloneDX 1.2-1.6 JSON, SPDX 2.2/2.3 JSON, plain or as an in-toto "
                + "attestation) and print their normalised inventory.",
        subcommands = {SbomValidateCommand.class, SbomInventoryCommand.class})
final class SbomCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads FILE ("-" for stdin) up to the SBOM size limit. */
    static byte[] readInput(String file) throws IOException {
        int limit = SbomReader.DEFAULT_MAX_BYTES;
        byte[] content;
        if (file.equals("-")) {
            content = System.in.readNBytes(limit + 1);
        } else {
            content = InputFiles.read(Path.of(file), limit);
        }
        if (content.length > limit) {
            throw new IOException(file + " is larger than the SBOM limit of " + limit + " bytes");
        }
        return content;
    }

    /** "FILE: problem", the one line a user sees for input that is no valid SBOM. */
    static String describe(String file, MalformedInputException e) {
        return file + ": " + e.getMessage();
    }
}
