package dev.gatehouse.io;

/**
 * Outside input (a manifest, bundle, SBOM, VEX document, event...) that cannot be accepted. The
 * message names the format, where the problem is, and what is wrong, so it can be shown to a user
 * as one line.
 */
public class MalformedInputException extends Exception {

    private static final int MAX_PART = 300;

    private final String format;
    private final String location;

    public MalformedInputException(String format, String location, String problem) {
        // Formats, locations and problems often quote the input itself; the message must stay one short line.
        super(Printable.oneLine(format, MAX_PART) + (location == null || location.isEmpty() ? "" : " at " + Printable.oneLine(location, MAX_PART))
                + ": " + Printable.oneLine(problem, MAX_PART));
        this.format = format;
        this.location = location;
    }

    public MalformedInputException(String format, String location, String problem, Throwable cause) {
        this(format, location, problem);
        initCause(cause);
    }

    /** The kind of document, e.g. "OCI image manifest", "CycloneDX SBOM". */
    public String format() {
        return format;
    }

    /** Where in the input: a JSON pointer, a line:column, or a file name; may be empty. */
    public String location() {
        return location;
    }
}
