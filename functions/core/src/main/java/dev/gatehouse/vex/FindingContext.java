package dev.gatehouse.vex;

import java.util.List;

/**
 * Where a finding sits: the identity of the affected component and every path from it up to the
 * root artifact (each path lists the ancestors nearest first, the image last). A scan without a
 * dependency graph has one path holding just the image.
 */
public record FindingContext(ProductIdentity component, List<List<ProductIdentity>> ancestorPaths) {

    public FindingContext {
        ancestorPaths = ancestorPaths.stream().map(List::copyOf).toList();
    }

    /** A component directly inside an image (or in nothing known, when {@code image} is null). */
    public static FindingContext inImage(ProductIdentity component, ProductIdentity image) {
        return new FindingContext(component, image == null ? List.of() : List.of(List.of(image)));
    }
}
