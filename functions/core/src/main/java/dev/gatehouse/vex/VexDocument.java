package dev.gatehouse.vex;

import java.time.Instant;
import java.util.List;

/**
 * A parsed VEX document: its statements (timestamps already inherited from the document) and
 * where it came from.
 *
 * @param id the document id ({@code @id}, CSAF tracking id, CycloneDX serial number), or null
 * @param format the format
 * @param author the author or publisher, or null
 * @param timestamp the document time, or null when the format allows none
 * @param statements the statements in document order
 * @param source the provenance, set by the caller; the merger applies only trusted documents
 * @param warnings what the parser had to interpret or skip; empty when none
 */
public record VexDocument(
        String id, VexFormat format, String author, Instant timestamp, List<VexStatement> statements,
        VexSource source, List<String> warnings) {

    public VexDocument {
        statements = List.copyOf(statements);
        warnings = List.copyOf(warnings);
    }

    public VexDocument withSource(VexSource newSource) {
        return new VexDocument(id, format, author, timestamp, statements, newSource, warnings);
    }
}
