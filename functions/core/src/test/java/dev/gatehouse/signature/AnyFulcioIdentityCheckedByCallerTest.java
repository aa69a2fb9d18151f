package dev.gatehouse.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authority verify-provenance uses: any Fulcio identity passes the signature step (the
 * builder is checked afterwards from the returned certificate), but chain, SCT and log are
 * checked as for any keyless authority, and ignoring the log takes an explicit requirement.
 */
class AnyFulcioIdentityCheckedByCallerTest {

    private static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
    private static final byte[] SUBJECT = SigstoreFixtures.sha256("artifact".getBytes(StandardCharsets.UTF_8));
    private static final byte[] STATEMENT = ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":"
            + "{\"sha256\":\"" + HexFormat.of().formatHex(SUBJECT) + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\","
            + "\"predicate\":{}}").getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    private static SigstoreFixtures sigstore;
    private static TrustedRootSource root;

    @BeforeAll
    static void setUp() throws Exception {
        sigstore = new SigstoreFixtures();
        root = TrustedRootSource.file(sigstore.writeTrustedRoot(dir));
    }

    private static VerificationOutcome verifyUnlogged(SigstoreFixtures issuer, Authority authority) {
        KeyPair key = SigstoreFixtures.key("P-256");
        X509Certificate leaf = issuer.issue(key.getPublic(), "https://github.com/anyone/any/.github/workflows/x.yml@refs/tags/v1",
                "https://token.actions.githubusercontent.com");
        byte[] signature = SigstoreFixtures.sign(key.getPrivate(), SignatureCheck.pae(PAYLOAD_TYPE, STATEMENT));
        return CosignSignatureVerifier.verifyDsse(PAYLOAD_TYPE, STATEMENT, signature, SUBJECT,
                new CosignSignatureVerifier.Evidence(SigstoreFixtures.pem("CERTIFICATE", SigstoreFixtures.encoded(leaf)), null, null),
                authority);
    }

    @Test
    void anyIdentityFromTheTrustedFulcioVerifiesAndHandsBackItsCertificate() {
        VerificationOutcome outcome = verifyUnlogged(sigstore, Authority.anyFulcioIdentityCheckedByCaller("slsa", root, true));
        assertThat(outcome).isInstanceOfSatisfying(VerificationOutcome.Verified.class, v -> {
            assertThat(v.certificate()).isPresent();
            assertThat(CertificateIdentity.subjectsOf(v.certificate().get())).first().asString().startsWith("https://github.com/anyone/");
            assertThat(v.signingTimes()).as("no log entry, so no proven signing time").isEmpty();
        });
    }

    @Test
    void certificateFromAnotherCaIsRejectedEvenWhenTheLogIsIgnored() {
        VerificationOutcome outcome = verifyUnlogged(new SigstoreFixtures(), Authority.anyFulcioIdentityCheckedByCaller("slsa", root, true));
        assertThat(outcome).isInstanceOfSatisfying(VerificationOutcome.Rejected.class,
                r -> assertThat(r.reason()).contains("signing certificate is not trusted"));
    }

    @Test
    void signatureWithoutLogEntryIsRejectedUnlessTheLogIsIgnoredLoudly() {
        VerificationOutcome outcome = verifyUnlogged(sigstore, Authority.anyFulcioIdentityCheckedByCaller("slsa", root, false));
        assertThat(outcome).isInstanceOfSatisfying(VerificationOutcome.Rejected.class,
                r -> assertThat(r.reason()).contains("no transparency log entry"));
    }

    @Test
    void policyIdentitiesCannotSkipTheLog() {
        CertificateIdentity identity = new CertificateIdentity(CertificateIdentity.StringMatch.exact("a"),
                CertificateIdentity.StringMatch.exact("b"));
        assertThatThrownBy(() -> new Authority("k", new SignerExpectation.Identity(identity), TlogRequirement.NONE, root))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Authority("k", new SignerExpectation.AnyFulcioIdentityCheckedByCaller(), TlogRequirement.OPTIONAL, root))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Authority.key("k", SigstoreFixtures.key("P-256").getPublic(), TlogRequirement.INSECURE_OPTIONAL_FOR_KEYLESS,
                root)).isInstanceOf(IllegalArgumentException.class);
    }
}
