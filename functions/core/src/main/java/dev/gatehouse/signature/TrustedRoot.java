package dev.gatehouse.signature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.InputFiles;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.fulcio.client.FulcioVerifier;
import dev.sigstore.timestamp.client.TimestampVerifier;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.trustroot.TransparencyLog;
import dev.sigstore.trustroot.ValidFor;
import dev.sigstore.tuf.SigstoreTufClient;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Sigstore trusted root ({@code trusted_root.json}): the Fulcio CAs, Rekor logs, CT logs and
 * timestamp authorities that verification trusts, with sigstore-java's verifiers built once. The
 * file is checked before sigstore-java reads it, since sigstore-java treats a missing validity
 * start as unbounded.
 */
public final class TrustedRoot {

    private static final String FORMAT = "Sigstore trusted root";
    private static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final Map<String, TrustedRoot> CACHE = new ConcurrentHashMap<>();

    private final String source;
    private final SigstoreTrustedRoot root;
    private final FulcioVerifier fulcio;
    private final TimestampVerifier timestamps;

    private TrustedRoot(String source, SigstoreTrustedRoot root) throws MalformedInputException {
        this.source = source;
        this.root = root;
        try {
            this.fulcio = FulcioVerifier.newFulcioVerifier(root);
            this.timestamps = TimestampVerifier.newTimestampVerifier(root);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new MalformedInputException(FORMAT, source, "unusable key or certificate: " + e.getMessage(), e);
        }
    }

    /** Reads and checks a trusted root file; results are cached per file content. */
    public static TrustedRoot load(Path file) throws MalformedInputException {
        byte[] content = InputFiles.read(file, FORMAT, MAX_BYTES);
        String key = file.toAbsolutePath() + "#" + Arrays.hashCode(content);
        TrustedRoot cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        TrustedRoot parsed = parse(content, file.toString());
        CACHE.put(key, parsed);
        return parsed;
    }

    public static TrustedRoot parse(byte[] content, String source) throws MalformedInputException {
        JsonNode json = UntrustedJson.parseObject(content, FORMAT + " " + source);
        // sigstore-java reads a document without mediaType as an empty root of unknown version.
        if (!json.path("mediaType").isTextual()) {
            throw new MalformedInputException(FORMAT, source + " /mediaType", "missing or not a string");
        }
        requireValidityStarts(json, "tlogs", source);
        requireValidityStarts(json, "ctlogs", source);
        requireValidityStarts(json, "certificateAuthorities", source);
        requireValidityStarts(json, "timestampAuthorities", source);
        try {
            return new TrustedRoot(source, SigstoreTrustedRoot.from(new ByteArrayInputStream(content)));
        } catch (SigstoreConfigurationException | RuntimeException e) {
            // "Could not parse trusted root" alone does not say what; the protobuf parser's cause does.
            String cause = e.getCause() == null || e.getCause().getMessage() == null ? "" : ": " + e.getCause().getMessage();
            throw new MalformedInputException(FORMAT, source, e.getMessage() + cause, e);
        }
    }

    /**
     * The Sigstore public-good (or staging) root through TUF, with sigstore-java's embedded initial
     * root. This reaches the network; offline callers pass a file instead.
     */
    public static TrustedRoot fromTuf(boolean staging) throws MalformedInputException {
        SigstoreTufClient.Builder tuf = SigstoreTufClient.builder();
        tuf = staging ? tuf.useStagingInstance() : tuf.usePublicGoodInstance();
        String source = staging ? "TUF (Sigstore staging)" : "TUF (Sigstore public good)";
        try {
            return new TrustedRoot(source, TrustedRootProvider.from(tuf).get());
        } catch (SigstoreConfigurationException | RuntimeException e) {
            throw new MalformedInputException(FORMAT, source, "cannot obtain the trusted root: " + e.getMessage(), e);
        }
    }

    private static void requireValidityStarts(JsonNode json, String field, String source) throws MalformedInputException {
        JsonNode list = json.path(field);
        if (list.isMissingNode()) {
            return;
        }
        if (!list.isArray()) {
            throw new MalformedInputException(FORMAT, source + " /" + field, "expected an array");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            JsonNode validFor = entry.has("publicKey") ? entry.path("publicKey").path("validFor") : entry.path("validFor");
            if (!validFor.path("start").isTextual() || validFor.path("start").asText().isEmpty()) {
                throw new MalformedInputException(FORMAT, source + " /" + field + "/" + i,
                        "validity period has no start");
            }
        }
    }

    public String source() {
        return source;
    }

    FulcioVerifier fulcio() {
        return fulcio;
    }

    TimestampVerifier timestamps() {
        return timestamps;
    }

    /** The transparency log with this key id, if the root names it. */
    Optional<TransparencyLog> tlog(byte[] logId) {
        return TransparencyLog.find(root.getTLogs(), logId);
    }

    /** Closed interval: a time equal to the end is inside. */
    static boolean within(ValidFor validFor, Instant time) {
        return !time.isBefore(validFor.getStart()) && validFor.getEnd().map(end -> !time.isAfter(end)).orElse(true);
    }

    List<TransparencyLog> tlogs() {
        return root.getTLogs();
    }
}
