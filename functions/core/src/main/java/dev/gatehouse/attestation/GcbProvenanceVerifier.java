package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.signature.CosignSignatureVerifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Google Cloud Build provenance as {@code gcloud artifacts docker images describe
 * --show-provenance} prints it: a list of DSSE envelopes signed with Cloud Build's KMS keys, each
 * with an unsigned text copy of its statement. Any one validly signed provenance suffices; it must
 * then name the expected builder, image digest and source, and its text copy must say the same.
 */
final class GcbProvenanceVerifier {

    static final String FORMAT = "Cloud Build provenance";
    static final String BUILDER = "https://cloudbuild.googleapis.com/GoogleHostedWorker";
    private static final List<String> V01_BUILDERS = List.of(BUILDER + "@v0.2", BUILDER + "@v0.3");
    private static final String SLSA_V01 = "https://slsa.dev/provenance/v0.1";
    private static final String V1_BUILD_TYPE = "https://cloud.google.com/build/gcb-buildtypes/google-worker/v1";
    private static final String BUILD_ARGUMENTS_TYPE = "type.googleapis.com/google.devtools.cloudbuild.v1.Build";

    private static final CosignSignatureVerifier.Evidence NO_COSIGN_MATERIAL = new CosignSignatureVerifier.Evidence(null, null, null);

    private final GcbKeys keys = new GcbKeys();
    private final TrustedBuilders builders;

    GcbProvenanceVerifier(TrustedBuilders builders) {
        this.builders = builders;
    }

    private record Verified(JsonNode provenance, InTotoStatement statement, String keyName) {}

    VerifiedProvenance verify(byte[] document, String imageDigestHex, ProvenanceCriteria criteria) throws ProvenanceException {
        JsonNode root;
        try {
            root = UntrustedJson.parseObject(document, FORMAT);
        } catch (MalformedInputException e) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, e.getMessage(), e);
        }
        Verified v = verifySignatures(root);
        boolean v1 = GhaProvenance.SLSA_V1.equals(v.statement.predicateType());
        JsonNode predicate = v.statement.predicate();
        String builderId = v1 ? predicate.path("runDetails").path("builder").path("id").asText("")
                : predicate.path("builder").path("id").asText("");
        if (!(v1 ? List.of(BUILDER) : V01_BUILDERS).contains(builderId)) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_BUILDER_ID, "'" + builderId + "'");
        }
        BuilderId builder = BuilderId.parse(builderId, !v1);
        if (criteria.builderId() != null) {
            builder.matchesLoose(criteria.builderId(), false);
        }
        String buildType = v1 ? predicate.path("buildDefinition").path("buildType").asText("") : predicate.path("recipe").path("type").asText("");
        checkBuildType(builder, buildType, v1);
        if (!v1) {
            JsonNode args = predicate.path("recipe").path("arguments");
            if (!args.isObject()) {
                throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "recipe arguments is not an object");
            }
            if (!BUILD_ARGUMENTS_TYPE.equals(GhaProvenance.string(args, "@type"))) {
                throw new ProvenanceException(SlsaVerifierError.MISMATCHED_BUILDER_ID, "expected '" + BUILD_ARGUMENTS_TYPE + "', got '" + args.get("@type").asText() + "'");
            }
        }
        if (v.statement.subjects().isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "no subjects");
        }
        boolean found = false;
        for (InTotoStatement.Subject s : v.statement.subjects()) {
            String hash = s.digest().get("sha256");
            if (hash == null) {
                throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "no sha256 subject digest");
            }
            found |= hash.equals(imageDigestHex);
        }
        if (!found) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_HASH, "expected hash '" + imageDigestHex + "' not found");
        }
        String sourceUri = sourceUri(v.statement, v1);
        checkSource(builder, sourceUri, criteria.sourceUri(), v1);
        if (!"BUILD".equals(v.provenance.path("kind").asText())) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, "expected kind 'BUILD', got '" + v.provenance.path("kind").asText() + "'");
        }
        String resourceUri = v.provenance.path("resourceUri").asText("");
        if (!resourceUri.endsWith("@sha256:" + imageDigestHex)) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_HASH, "expected resourceUri of '" + imageDigestHex + "', got '" + resourceUri + "'");
        }
        JsonNode summary = root.path("image_summary");
        if (!("sha256:" + imageDigestHex).equals(summary.path("digest").asText())) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_HASH, "expected summary digest '" + imageDigestHex + "', got '" + summary.path("digest").asText() + "'");
        }
        if (!summary.path("fully_qualified_digest").asText("").endsWith("sha256:" + imageDigestHex)) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_HASH, "expected fully qualified digest of '" + imageDigestHex + "'");
        }
        checkTextCopy(v, v1);
        if (criteria.sourceBranch() != null) {
            throw new ProvenanceException(SlsaVerifierError.NOT_SUPPORTED, "Cloud Build provenance records no branch");
        }
        if (criteria.sourceTag() != null) {
            String tag = tag(v.statement, v1, SlsaVerifierError.MISMATCHED_TAG);
            if (!tag.equals(criteria.sourceTag())) {
                throw new ProvenanceException(SlsaVerifierError.MISMATCHED_TAG, "expected '" + criteria.sourceTag() + "', got '" + tag + "'");
            }
        }
        if (criteria.sourceVersionedTag() != null) {
            SemVer.requireVersionedTag(tag(v.statement, v1, SlsaVerifierError.MISMATCHED_VERSIONED_TAG), criteria.sourceVersionedTag());
        }
        TrustedBuilders.Builder listed = builders.find(BUILDER).orElse(null);
        return new VerifiedProvenance(builder.toString(), SlsaLevel.assign(true, listed), v.statement, sourceUri, buildType,
                List.of(), "Cloud Build KMS key " + v.keyName);
    }

    private Verified verifySignatures(JsonNode root) throws ProvenanceException {
        JsonNode list = root.path("provenance_summary").path("provenance");
        if (!list.isArray() || list.isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "no provenance found");
        }
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                return verifySignatures(list.get(i), "/provenance_summary/provenance/" + i);
            } catch (ProvenanceException e) {
                errors.add(e.getMessage());
            }
        }
        throw new ProvenanceException(SlsaVerifierError.NO_VALID_SIGNATURE, String.join("; ", errors));
    }

    private Verified verifySignatures(JsonNode provenance, String pointer) throws ProvenanceException {
        DsseEnvelope envelope;
        try {
            envelope = DsseEnvelope.fromJson(provenance.path("envelope"), pointer + "/envelope");
        } catch (MalformedInputException e) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, e.getMessage(), e);
        }
        if (!envelope.isInToto()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "expected payload type '" + DsseEnvelope.IN_TOTO_PAYLOAD_TYPE + "'");
        }
        if (envelope.signatures().isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.NO_VALID_SIGNATURE, "no signatures found in envelope");
        }
        List<String> errors = new ArrayList<>();
        for (DsseEnvelope.Signature sig : envelope.signatures()) {
            GcbKeys.Key key = keys.forKeyId(sig.keyId()).orElse(null);
            if (key == null) {
                continue;
            }
            if (sig.sig() == null || !CosignSignatureVerifier.verifyBytes(key.signsPae() ? envelope.pae() : envelope.payload(), sig.sig(),
                    NO_COSIGN_MATERIAL, key.authority()).verified()) {
                errors.add("cannot verify with key '" + key.name() + "'");
                continue;
            }
            InTotoStatement statement;
            try {
                statement = InTotoStatement.parse(envelope.payload());
            } catch (MalformedInputException e) {
                errors.add(e.getMessage());
                continue;
            }
            String expectedType = GcbKeys.V1_GLOBAL_PAE_KEY_ID.equals(sig.keyId()) ? GhaProvenance.SLSA_V1 : SLSA_V01;
            if (!expectedType.equals(statement.predicateType())) {
                errors.add("expected predicate type '" + expectedType + "', got '" + statement.predicateType() + "'");
                continue;
            }
            return new Verified(provenance, statement, key.name());
        }
        throw new ProvenanceException(SlsaVerifierError.NO_VALID_SIGNATURE, errors.isEmpty() ? "no signature by a known key" : String.join("; ", errors));
    }

    private static void checkBuildType(BuilderId builder, String buildType, boolean v1) throws ProvenanceException {
        if (v1) {
            if (!V1_BUILD_TYPE.equals(buildType)) {
                throw new ProvenanceException(SlsaVerifierError.INVALID_BUILD_TYPE, "'" + buildType + "'");
            }
            return;
        }
        switch (builder.version()) {
            case "v0.2" -> {
                if (!builder.toString().equals(buildType)) {
                    throw new ProvenanceException(SlsaVerifierError.INVALID_BUILD_TYPE, "expected '" + builder + "', got '" + buildType + "'");
                }
            }
            case "v0.3" -> {
                if (!buildType.startsWith("https://cloudbuild.googleapis.com/CloudBuildYaml@")
                        && !buildType.startsWith("https://cloudbuild.googleapis.com/CloudBuildSteps@")) {
                    throw new ProvenanceException(SlsaVerifierError.INVALID_BUILD_TYPE, "unexpected recipe type '" + buildType + "'");
                }
            }
            default -> throw new ProvenanceException(SlsaVerifierError.INVALID_BUILDER_ID, "version '" + builder.version() + "'");
        }
    }

    private static String sourceUri(InTotoStatement statement, boolean v1) throws ProvenanceException {
        JsonNode p = statement.predicate();
        if (v1) {
            JsonNode source = p.path("buildDefinition").path("externalParameters").path("buildConfigSource");
            if (!source.isObject()) {
                throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "no buildConfigSource");
            }
            return GhaProvenance.string(source, "repository") + "@" + GhaProvenance.string(source, "ref");
        }
        JsonNode materials = p.path("materials");
        if (!materials.isArray() || materials.isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "no material");
        }
        String uri = materials.get(0).path("uri").asText("");
        if (uri.isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.MALFORMED_URI, "empty uri");
        }
        return uri;
    }

    private static void checkSource(BuilderId builder, String provenanceUri, String expected, boolean v1) throws ProvenanceException {
        String uri = provenanceUri.startsWith("git+") ? provenanceUri.substring(4) : provenanceUri;
        if (uri.startsWith("https://") && !expected.startsWith("https://")) {
            expected = "https://" + expected;
        }
        if (v1) {
            String[] parts = uri.split("@", -1);
            if (parts.length != 2) {
                throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, "no version in '" + uri + "'");
            }
            if (!parts[0].equals(expected)) {
                throw new ProvenanceException(SlsaVerifierError.MISMATCHED_SOURCE, "expected '" + expected + "', got '" + parts[0] + "'");
            }
            return;
        }
        boolean ok = switch (builder.version()) {
            case "v0.2" -> uri.startsWith(expected + "/commit/") || uri.startsWith(expected + "#");
            case "v0.3" -> uri.equals(expected) || uri.startsWith(expected + "#");
            default -> throw new ProvenanceException(SlsaVerifierError.INVALID_BUILDER_ID, "version '" + builder.version() + "'");
        };
        if (!ok) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_SOURCE, "expected '" + expected + "', got '" + uri + "'");
        }
    }

    /** The signed statement and the unsigned text copy beside it must agree on every field of the statement. */
    private static void checkTextCopy(Verified v, boolean v1) throws ProvenanceException {
        JsonNode build = v.provenance.path("build");
        JsonNode text = v1 ? build.path("inTotoSlsaProvenanceV1") : build.path("intotoStatement");
        ObjectNode unverified = UntrustedJson.mapper().createObjectNode();
        unverified.set("_type", text.path("_type"));
        unverified.set("predicateType", text.path("predicateType"));
        unverified.set("subject", text.path("subject"));
        unverified.set("predicate", v1 ? text.path("predicate") : text.path("slsaProvenance"));
        ObjectNode verified = UntrustedJson.mapper().createObjectNode();
        JsonNode json = v.statement.json();
        verified.set("_type", json.path("_type"));
        verified.set("predicateType", json.path("predicateType"));
        verified.set("subject", json.path("subject"));
        verified.set("predicate", json.path("predicate"));
        if (!sameValue(unverified, verified)) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_INTOTO, "the text statement differs from the signed statement");
        }
    }

    /** JSON equality as Go's typed comparison sees it: absent and null alike, numbers by value, times by instant. */
    static boolean sameValue(JsonNode a, JsonNode b) {
        boolean aEmpty = a == null || a.isNull() || a.isMissingNode();
        boolean bEmpty = b == null || b.isNull() || b.isMissingNode();
        if (aEmpty || bEmpty) {
            return aEmpty && bEmpty;
        }
        if (a.isObject() && b.isObject()) {
            java.util.Set<String> names = new java.util.HashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            return names.stream().allMatch(n -> sameValue(a.get(n), b.get(n)));
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isTextual() && b.isTextual() && !a.asText().equals(b.asText())) {
            try {
                return java.time.Instant.parse(a.asText()).equals(java.time.Instant.parse(b.asText()));
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }
        return a.equals(b);
    }

    private static String tag(InTotoStatement statement, boolean v1, SlsaVerifierError kind) throws ProvenanceException {
        JsonNode p = statement.predicate();
        if (!v1) {
            JsonNode subs = p.path("recipe").path("arguments").path("substitutions");
            if (!subs.path("TAG_NAME").isTextual()) {
                throw new ProvenanceException(kind, "no TAG_NAME in the build substitutions");
            }
            return subs.get("TAG_NAME").asText();
        }
        JsonNode subs = p.path("buildDefinition").path("internalParameters").path("systemSubstitutions");
        if (!subs.path("TAG_NAME").isTextual()) {
            throw new ProvenanceException(kind, "no TAG_NAME in the build substitutions");
        }
        String name = subs.get("TAG_NAME").asText();
        String ref = p.path("buildDefinition").path("externalParameters").path("buildConfigSource").path("ref").asText("");
        if (!("refs/tags/" + name).equals(ref)) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "'refs/tags/" + name + "' != '" + ref + "'");
        }
        return name;
    }
}
