package dev.gatehouse.sbom;

import java.util.Objects;

/** A name/value pair a tool attached to a component (CycloneDX property, SPDX annotation...). */
public record ComponentProperty(String name, String value) {

    public ComponentProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
