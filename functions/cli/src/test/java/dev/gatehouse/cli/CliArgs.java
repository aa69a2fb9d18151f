package dev.gatehouse.cli;

import dev.gatehouse.sample.SampleTrust;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Argument lists for in-process CLI runs and served CLIs. */
final class CliArgs {

    private CliArgs() {}

    /** {@code --trust-config} and {@code --trusted-builders} naming the files {@link SampleTrust#write} put in {@code trustDir}. */
    static String[] sampleTrust(Path trustDir) {
        return new String[] {"--trust-config", trustDir.resolve(SampleTrust.TRUST_CONFIG).toString(),
            "--trusted-builders", trustDir.resolve(SampleTrust.TRUSTED_BUILDERS).toString()};
    }

    /** The arguments in order, each {@code String[]} among them spread in place. */
    static String[] of(Object... parts) {
        List<String> args = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof String[] many) {
                args.addAll(List.of(many));
            } else {
                args.add((String) part);
            }
        }
        return args.toArray(String[]::new);
    }
}
