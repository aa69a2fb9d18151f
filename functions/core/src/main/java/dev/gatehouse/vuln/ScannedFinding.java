package dev.gatehouse.vuln;

/**
 * A finding and where it sits in its report, so the report can be written back without it.
 *
 * @param finding the normalised finding
 * @param bomRef the bom-ref of the affected component (CycloneDX), or null
 * @param container JSON pointer of the array holding the finding's element
 * @param index the element's index in that array
 * @param ownerContainer JSON pointer of the array holding the element that owns the container
 *     (a CycloneDX vulnerability owning its affects), or null; an owner left with an empty
 *     container is removed too
 * @param ownerIndex the owner's index
 */
public record ScannedFinding(Finding finding, String bomRef, String container, int index, String ownerContainer, int ownerIndex) {}
