package dev.gatehouse.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Parses JSON that came from outside with bounds on size, nesting depth, string and number length,
 * and turns every parse failure into a {@link MalformedInputException} that names the document and
 * the line and column. Duplicate keys are rejected: two readers must never see two documents.
 */
public final class UntrustedJson {

    /** Default upper bound for one document (16 MiB); callers with tighter limits pass their own. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
    /** The most any caller may allow (64 MiB, for large SBOMs); each parse enforces its own limit. */
    public static final int MAX_ALLOWED_BYTES = 64 * 1024 * 1024;
    public static final int MAX_DEPTH = 200;

    private static final ObjectMapper MAPPER = JsonMapper.builder(
                    JsonFactory.builder()
                            .streamReadConstraints(StreamReadConstraints.builder()
                                    .maxNestingDepth(MAX_DEPTH)
                                    .maxStringLength(MAX_ALLOWED_BYTES)
                                    .maxNumberLength(1000)
                                    .maxDocumentLength(MAX_ALLOWED_BYTES)
                                    .build())
                            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                            // Error messages must not echo the document (it may span lines or carry secrets).
                            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private UntrustedJson() {}

    /** The shared mapper for writing and for binding already-bounded trees. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static JsonNode parse(byte[] content, String format) throws MalformedInputException {
        return parse(content, format, DEFAULT_MAX_BYTES);
    }

    public static JsonNode parse(byte[] content, String format, int maxBytes) throws MalformedInputException {
        if (content == null || content.length == 0) {
            throw new MalformedInputException(format, "", "empty document");
        }
        if (content.length > maxBytes) {
            throw new MalformedInputException(format, "", "document of " + content.length
                    + " bytes exceeds the limit of " + maxBytes + " bytes");
        }
        try (JsonParser parser = MAPPER.createParser(content)) {
            JsonNode node = read(parser, format);
            if (node == null || node.isMissingNode()) {
                throw new MalformedInputException(format, "", "empty document");
            }
            return node;
        } catch (IOException e) {
            throw new MalformedInputException(format, "", "unreadable JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode read(JsonParser parser, String format) throws IOException, MalformedInputException {
        try {
            return MAPPER.readTree(parser);
        } catch (JsonProcessingException e) {
            throw new MalformedInputException(format, JsonProblems.location(e, parser), JsonProblems.describe(e), e);
        }
    }

    public static JsonNode parse(String content, String format) throws MalformedInputException {
        return parse(content.getBytes(StandardCharsets.UTF_8), format);
    }

    /** Like {@link #parse} but requires a JSON object at the top. */
    public static JsonNode parseObject(byte[] content, String format) throws MalformedInputException {
        JsonNode node = parse(content, format);
        if (!node.isObject()) {
            throw new MalformedInputException(format, "/", "expected a JSON object, found " + node.getNodeType().name().toLowerCase());
        }
        return node;
    }
}
