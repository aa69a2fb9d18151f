package dev.gatehouse.rego.archive;

/** A {@code .tar.gz} from outside that is malformed or beyond its limits; the caller names the format. */
public final class TarGzException extends Exception {

    private final String entry;
    private final String problem;

    /**
     * @param entry   the entry the problem is in ({@code ""} for the archive as a whole)
     * @param problem what is wrong, one line
     */
    public TarGzException(String entry, String problem) {
        super(entry.isEmpty() ? problem : entry + ": " + problem);
        this.entry = entry;
        this.problem = problem;
    }

    public String entry() {
        return entry;
    }

    public String problem() {
        return problem;
    }
}
