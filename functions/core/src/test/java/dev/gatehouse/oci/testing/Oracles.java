package dev.gatehouse.oci.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates third-party oracle data under {@code -Dgatehouse.oracles}; tests skip when it is absent. */
public final class Oracles {

    private Oracles() {}

    /** The oracle path, or a skipped test naming what was missing. */
    public static Path require(String relative) {
        String root = System.getProperty("gatehouse.oracles");
        Path path = root == null ? null : Path.of(root).resolve(relative);
        assumeTrue(path != null && Files.exists(path), "oracle data not present: " + relative + " (gatehouse.oracles=" + root + ")");
        return path;
    }
}
