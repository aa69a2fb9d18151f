package dev.gatehouse.ports.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The image graph in a local file of JSON lines, one edge per line, for the command line on a
 * laptop or in CI: read whole when opened, each recorded edge appended (a later line for the same
 * image and base refreshes its time).
 */
public final class JsonLinesImageGraph implements ImageGraph {

    public static final String FORMAT = "image graph file";
    static final long MAX_BYTES = 64L << 20;

    private final Path file;
    private final InMemoryImageGraph edges = new InMemoryImageGraph();

    private JsonLinesImageGraph(Path file) {
        this.file = file;
    }

    /** Opens {@code file}, or starts an empty graph there when it does not exist yet. */
    public static JsonLinesImageGraph open(Path file) throws MalformedInputException {
        JsonLinesImageGraph graph = new JsonLinesImageGraph(file);
        if (!Files.exists(file)) {
            return graph;
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new MalformedInputException(FORMAT, file.toString(), "larger than " + MAX_BYTES + " bytes");
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String where = file + " line " + (i + 1);
                JsonNode n = UntrustedJson.parse(lines.get(i), FORMAT);
                try {
                    String tag = n.path("base_tag").isTextual() ? n.path("base_tag").asText() : null;
                    graph.edges.record(new Edge(
                            new ImageRef(n.path("image_repository").asText(), Digest.parse(n.path("image_digest").asText())),
                            new BaseRef(n.path("base_repository").asText(), tag, Digest.parse(n.path("base_digest").asText())),
                            Instant.parse(n.path("recorded_at").asText())));
                } catch (RuntimeException e) {
                    throw new MalformedInputException(FORMAT, where, e.getMessage() == null ? "invalid edge" : e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new MalformedInputException(FORMAT, file.toString(), "unreadable: " + e.getMessage());
        }
        return graph;
    }

    @Override
    public synchronized void record(Edge edge) {
        ObjectNode n = UntrustedJson.mapper().createObjectNode();
        n.put("image_repository", edge.image().repository());
        n.put("image_digest", edge.image().digest().toString());
        n.put("base_repository", edge.base().repository());
        if (edge.base().tag() != null) {
            n.put("base_tag", edge.base().tag());
        }
        n.put("base_digest", edge.base().digest().toString());
        n.put("recorded_at", edge.recordedAt().toString());
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, n + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new StoreException("ImageGraph.record", "cannot append to " + file + ": " + e.getMessage(), new UncheckedIOException(e));
        }
        edges.record(edge);
    }

    @Override
    public List<Edge> dependents(String baseRepository, String baseTag) {
        return edges.dependents(baseRepository, baseTag);
    }

    @Override
    public List<Edge> dependentsOfDigest(String baseRepository, Digest baseDigest) {
        return edges.dependentsOfDigest(baseRepository, baseDigest);
    }
}
