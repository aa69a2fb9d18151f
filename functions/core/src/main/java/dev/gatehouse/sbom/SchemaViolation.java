package dev.gatehouse.sbom;

/**
 * One way a document breaks its format's rules.
 *
 * @param location a JSON pointer into the SBOM ({@code ""} for the whole document)
 * @param message what is wrong there
 */
public record SchemaViolation(String location, String message) {

    @Override
    public String toString() {
        return (location.isEmpty() ? "/" : location) + ": " + message;
    }
}
