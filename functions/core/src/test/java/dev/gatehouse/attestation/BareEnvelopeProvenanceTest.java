package dev.gatehouse.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BareEnvelopeProvenanceTest {

    private static final String AT_TAG = ProvenanceFixtures.GENERATOR + "@refs/tags/v2.1.0";
    private static final KeyPair KEY = ProvenanceFixtures.keyPair();
    private static final X509Certificate CERT = ProvenanceFixtures.certificate(KEY, AT_TAG, ProvenanceFixtures.REPO);

    @TempDir
    static Path dir;

    private static ProvenanceVerifier verifier(boolean insecureIgnoreTlog) throws ProvenanceException {
        return new ProvenanceVerifier(TrustedBuilders.defaults(),
                new ProvenanceVerifier.Options(ProvenanceFixtures.writeTrustedRoot(dir), insecureIgnoreTlog));
    }

    private static ProvenanceCriteria criteria(String source, String branch, String tag, String versionedTag, String builder,
                                               Map<String, String> inputs) {
        return new ProvenanceCriteria(source, branch, tag, versionedTag, builder, inputs, List.of(ProvenanceFixtures.ARTIFACT), false);
    }

    private static ProvenanceCriteria onMain() {
        return criteria("github.com/" + ProvenanceFixtures.REPO, null, null, null, null, null);
    }

    private static byte[] branchBuild() {
        return ProvenanceFixtures.envelope(ProvenanceFixtures.statement(AT_TAG, "refs/heads/main", "branch", "workflow_dispatch"), KEY, CERT);
    }

    private static SlsaVerifierError kindOf(byte[] envelope, ProvenanceCriteria criteria) {
        try {
            verifier(true).verifyArtifacts(envelope, criteria);
            return null;
        } catch (ProvenanceException e) {
            return e.kind();
        }
    }

    @Test
    void generatorProvenanceSignedByTheTrustedWorkflowVerifiesAtBuildLevel3() throws Exception {
        VerifiedProvenance v = verifier(true).verifyArtifacts(branchBuild(), onMain());
        assertThat(v.builderId()).isEqualTo(AT_TAG);
        assertThat(v.level().level()).isEqualTo(3);
        assertThat(v.sourceUri()).isEqualTo("git+https://github.com/acme/widget@refs/heads/main");
        assertThat(v.resolvedDependencies()).hasSize(1);
    }

    @Test
    void bareEnvelopeWithoutTransparencyLogProofIsRejectedUnlessIgnoredLoudly() {
        assertThatThrownBy(() -> verifier(false).verifyArtifacts(branchBuild(), onMain()))
                .isInstanceOfSatisfying(ProvenanceException.class, e -> assertThat(e.kind()).isEqualTo(SlsaVerifierError.NO_TLOG_PROOF))
                .hasMessageStartingWith("no transparency-log proof (ErrorRekorSearch)");
    }

    @Test
    void bareEnvelopeIsNotTrustedWithoutATrustedRootToCheckItsCertificate() {
        assertThatThrownBy(() -> new ProvenanceVerifier(TrustedBuilders.defaults(), new ProvenanceVerifier.Options(null, true))
                .verifyArtifacts(branchBuild(), onMain()))
                .isInstanceOfSatisfying(ProvenanceException.class, e -> assertThat(e.kind()).isEqualTo(SlsaVerifierError.NO_VALID_SIGNATURE))
                .hasMessageContaining("needs --trusted-root");
    }

    @Test
    void certificateFromAnotherCertificateAuthorityHasNoValidSignature() {
        X509Certificate forged = new SigstoreFixtures().issue(KEY.getPublic(), AT_TAG, WorkflowIdentity.GITHUB_ISSUER,
                Map.of("1.3.6.1.4.1.57264.1.13", "0123abcd", "1.3.6.1.4.1.57264.1.12", "https://github.com/" + ProvenanceFixtures.REPO));
        byte[] env = ProvenanceFixtures.envelope(ProvenanceFixtures.statement(AT_TAG, "refs/heads/main", "branch", "push"), KEY, forged);
        assertThat(kindOf(env, onMain())).isEqualTo(SlsaVerifierError.NO_VALID_SIGNATURE);
    }

    @Test
    void statementLevelMismatchesNameTheirKind() {
        String source = "github.com/" + ProvenanceFixtures.REPO;
        assertThat(kindOf(branchBuild(), criteria("github.com/acme/other", null, null, null, null, null))).isEqualTo(SlsaVerifierError.MISMATCHED_SOURCE);
        assertThat(kindOf(branchBuild(), criteria(source, "dev", null, null, null, null))).isEqualTo(SlsaVerifierError.MISMATCHED_BRANCH);
        assertThat(kindOf(branchBuild(), criteria(source, null, "v1.0.0", null, null, null))).isEqualTo(SlsaVerifierError.INVALID_REF);
        assertThat(kindOf(branchBuild(), criteria(source, null, null, null, null, Map.of("channel", "beta"))))
                .isEqualTo(SlsaVerifierError.MISMATCHED_WORKFLOW_INPUTS);
        assertThat(kindOf(branchBuild(), criteria(source, null, null, null, null, Map.of("channel", "stable")))).isNull();
        assertThat(kindOf(branchBuild(), criteria(source, null, null, null,
                "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/other.yml", null))).isEqualTo(SlsaVerifierError.UNTRUSTED_BUILDER);
        assertThat(kindOf(branchBuild(), criteria(source, null, null, null, ProvenanceFixtures.GENERATOR + "@v2.1.0", null))).isNull();
        assertThat(kindOf(branchBuild(), criteria(source, null, null, null, ProvenanceFixtures.GENERATOR + "@v2.0.0", null)))
                .isEqualTo(SlsaVerifierError.UNTRUSTED_BUILDER);
    }

    @Test
    void artifactThatIsNotASubjectIsAMismatchedHash() {
        ProvenanceCriteria other = onMain().withArtifactDigests(List.of("ab".repeat(32)));
        assertThat(kindOf(branchBuild(), other)).isEqualTo(SlsaVerifierError.MISMATCHED_HASH);
        assertThat(kindOf(branchBuild(), onMain().withArtifactDigests(List.of("ab".repeat(10))))).isEqualTo(SlsaVerifierError.INVALID_HASH);
    }

    @Test
    void tagBuildsMatchExactAndVersionedTags() {
        byte[] tagged = ProvenanceFixtures.envelope(ProvenanceFixtures.statement(AT_TAG, "refs/tags/v1.4.2", "tag", "push"), KEY, CERT);
        String source = "github.com/" + ProvenanceFixtures.REPO;
        assertThat(kindOf(tagged, criteria(source, null, "v1.4.2", null, null, null))).isNull();
        assertThat(kindOf(tagged, criteria(source, null, "v1.4", null, null, null))).isEqualTo(SlsaVerifierError.MISMATCHED_TAG);
        assertThat(kindOf(tagged, criteria(source, null, null, "v1.4", null, null))).isNull();
        assertThat(kindOf(tagged, criteria(source, null, null, "v1.5", null, null))).isEqualTo(SlsaVerifierError.MISMATCHED_VERSIONED_TAG);
        assertThat(kindOf(tagged, criteria(source, "main", null, null, null, null))).isEqualTo(SlsaVerifierError.INVALID_REF);
    }

    @Test
    void signerOutsideTheTrustedBuildersIsUntrusted() {
        String fork = "https://github.com/evil/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0";
        X509Certificate cert = ProvenanceFixtures.certificate(KEY, fork, ProvenanceFixtures.REPO);
        byte[] env = ProvenanceFixtures.envelope(ProvenanceFixtures.statement(fork, "refs/heads/main", "branch", "push"), KEY, cert);
        assertThat(kindOf(env, onMain())).isEqualTo(SlsaVerifierError.UNTRUSTED_BUILDER);
    }

    @Test
    void builderReferencedAtABranchIsAnInvalidRef() {
        String atMain = ProvenanceFixtures.GENERATOR + "@refs/heads/main";
        X509Certificate cert = ProvenanceFixtures.certificate(KEY, atMain, ProvenanceFixtures.REPO);
        byte[] env = ProvenanceFixtures.envelope(ProvenanceFixtures.statement(atMain, "refs/heads/main", "branch", "push"), KEY, cert);
        assertThat(kindOf(env, onMain())).isEqualTo(SlsaVerifierError.INVALID_REF);
    }

    @Test
    void statementThatClaimsAnotherBuilderVersionThanItsSignerIsAMismatchedBuilderId() {
        ObjectNode s = ProvenanceFixtures.statement(ProvenanceFixtures.GENERATOR + "@refs/tags/v9.9.9", "refs/heads/main", "branch", "push");
        assertThat(kindOf(ProvenanceFixtures.envelope(s, KEY, CERT), onMain())).isEqualTo(SlsaVerifierError.MISMATCHED_BUILDER_ID);
    }

    @Test
    void envelopeWhosePayloadWasChangedAfterSigningHasNoValidSignature() {
        String json = new String(branchBuild(), StandardCharsets.UTF_8);
        String payload = json.replaceAll(".*\"payload\":\"([^\"]+)\".*", "$1");
        String changed = Base64.getEncoder().encodeToString(new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8)
                .replace("widget", "gadget").getBytes(StandardCharsets.UTF_8));
        byte[] tampered = json.replace(payload, changed).getBytes(StandardCharsets.UTF_8);
        assertThat(kindOf(tampered, onMain())).isEqualTo(SlsaVerifierError.NO_VALID_SIGNATURE);
    }

    @Test
    void malformedProvenanceNamesTheFormatAndThePlace() {
        assertThatThrownBy(() -> verifier(true).verifyArtifacts("{\"payloadType\": \"x\",\n \"payload\": }".getBytes(StandardCharsets.UTF_8), onMain()))
                .isInstanceOfSatisfying(ProvenanceException.class, e -> assertThat(e.kind()).isEqualTo(SlsaVerifierError.INVALID_PAYLOAD))
                .hasMessageContaining("provenance file at line 2");
        assertThatThrownBy(() -> verifier(true).verifyArtifacts("{\"payloadType\": \"x\", \"payload\": \"%%%\", \"signatures\": []}"
                .getBytes(StandardCharsets.UTF_8), onMain()))
                .hasMessageContaining("DSSE envelope at /payload: not valid base64");
    }
}
