package dev.gatehouse.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import org.yaml.snakeyaml.LoaderOptions;

/** YAML from outside, bounded like {@code UntrustedJson}: size, nesting, no alias expansion bombs, no duplicate keys. */
public final class UntrustedYaml {

    /** No YAML document from outside is read beyond this many code points, whatever the caller's limit. */
    public static final int MAX_CODE_POINTS = 64 << 20;

    private static final ObjectMapper MAPPER;

    static {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(100);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(MAX_CODE_POINTS);
        MAPPER = new YAMLMapper(YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100).build())
                .build());
    }

    private UntrustedYaml() {}

    public static JsonNode parse(byte[] content, String format, int maxBytes) throws MalformedInputException {
        if (content.length > maxBytes) {
            throw new MalformedInputException(format, "", "document of " + content.length + " bytes exceeds the limit of " + maxBytes + " bytes");
        }
        try {
            JsonNode node = MAPPER.readTree(content);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new MalformedInputException(format, "", "empty document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedInputException(format, JsonProblems.location(e, null), JsonProblems.describeFirstLine(e), e);
        } catch (IOException | RuntimeException e) {
            throw new MalformedInputException(format, "", "unreadable YAML: " + String.valueOf(e.getMessage()).replace('\n', ' '), e);
        }
    }
}
