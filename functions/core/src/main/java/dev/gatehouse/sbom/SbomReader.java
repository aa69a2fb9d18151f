package dev.gatehouse.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.util.ArrayList;
import java.util.List;

/**
 * The one entry point for SBOMs: finds the document (CycloneDX JSON, SPDX JSON, or either as the
 * predicate of an in-toto statement, optionally in a DSSE envelope), validates it, and only then
 * reads it into an {@link Inventory}. Invalid documents are refused, never read half-way.
 *
 * <p>Thread-safe; the CycloneDX schemas are loaded once per JVM.
 */
public final class SbomReader {

    /** Largest SBOM accepted (64 MiB); large images with file listings produce tens of MiB. */
    public static final int DEFAULT_MAX_BYTES = UntrustedJson.MAX_ALLOWED_BYTES;
    /** Most components (and, separately, SPDX files) accepted in one document. */
    public static final int DEFAULT_MAX_COMPONENTS = 250_000;

    private final int maxComponents;
    private final SbomLocator locator;

    public SbomReader() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_COMPONENTS);
    }

    public SbomReader(int maxBytes, int maxComponents) {
        if (maxBytes <= 0 || maxBytes > DEFAULT_MAX_BYTES || maxComponents <= 0) {
            throw new IllegalArgumentException("limits must be positive and at most " + DEFAULT_MAX_BYTES + " bytes");
        }
        this.maxComponents = maxComponents;
        this.locator = new SbomLocator(maxBytes);
    }

    /**
     * Checks a document against its format. Throws for input that is no SBOM at all (not JSON, no
     * format marker, a statement with another predicate); returns {@link SbomValidation.Invalid}
     * with the violations for an SBOM that breaks its format's rules.
     */
    public SbomValidation validate(byte[] content) throws MalformedInputException {
        return check(locator.locate(content));
    }

    /** Validates, then reads the inventory; an invalid document throws {@link InvalidSbomException}. */
    public Inventory read(byte[] content) throws MalformedInputException {
        return read(locator.locate(content));
    }

    /** Like {@link #validate} for a predicate already taken out of a verified attestation. */
    public SbomValidation validatePredicate(String predicateType, JsonNode predicate) throws MalformedInputException {
        return check(locator.locatePredicate(predicateType, predicate));
    }

    /** Like {@link #read} for a predicate already taken out of a verified attestation. */
    public Inventory readPredicate(String predicateType, JsonNode predicate) throws MalformedInputException {
        return read(locator.locatePredicate(predicateType, predicate));
    }

    /** Whether a predicate type names an SBOM format this reader understands. */
    public static boolean isSbomPredicateType(String predicateType) {
        return predicateType != null && SbomLocator.formatOfPredicateType(predicateType) != null;
    }

    private Inventory read(SbomDocument document) throws MalformedInputException {
        SbomValidation validation = check(document);
        if (validation instanceof SbomValidation.Invalid invalid) {
            throw new InvalidSbomException(document.describe(), invalid.violations());
        }
        List<String> warnings = new ArrayList<>(validation.warnings());
        if (document.root().path(document.format() == SbomFormat.SPDX ? "packages" : "components").isEmpty()) {
            // Valid but empty: say so, so that an empty inventory is never mistaken for a clean image.
            warnings.add("the SBOM lists no " + (document.format() == SbomFormat.SPDX ? "packages" : "components"));
        }
        return switch (document.format()) {
            case CYCLONEDX -> CycloneDxInventoryReader.read(document, maxComponents, warnings);
            case SPDX -> SpdxInventoryReader.read(document, maxComponents, warnings);
        };
    }

    private static SbomValidation check(SbomDocument document) {
        List<String> warnings = new ArrayList<>(document.warnings());
        List<SchemaViolation> violations = switch (document.format()) {
            case CYCLONEDX -> CycloneDxValidator.validate(document, warnings);
            case SPDX -> SpdxValidator.validate(document, warnings);
        };
        return violations.isEmpty()
                ? new SbomValidation.Valid(document.format(), document.specVersion(), document.wrapping(), warnings)
                : new SbomValidation.Invalid(document.format(), document.specVersion(), document.wrapping(),
                        violations, warnings);
    }
}
