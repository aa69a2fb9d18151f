package dev.gatehouse.sbom;

import java.util.Objects;

/** The distribution an image is built on, e.g. {@code alpine 3.20.0} or {@code debian 12}. */
public record OperatingSystem(String name, String version) {

    public OperatingSystem {
        Objects.requireNonNull(name, "name");
    }
}
