package dev.gatehouse.signature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSignatureVerifierTest {

    private static SigstoreFixtures sigstore;
    private static TrustedRootSource testRoot;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(@TempDir Path rootDir) throws Exception {
        sigstore = new SigstoreFixtures();
        testRoot = TrustedRootSource.file(sigstore.writeTrustedRoot(rootDir));
    }

    /** cosign's payload for {@code image}, signed, as one more layer of the image's .sig manifest. */
    static void attach(OciRepository repo, Digest image, Digest named, KeyPair key, Map<String, String> extra) throws Exception {
        String payload = "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.test/app\"},\"image\":{"
                + "\"docker-manifest-digest\":\"" + named + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        Map<String, String> annotations = new HashMap<>(extra);
        annotations.put(ImageSignatureVerifier.SIGNATURE_ANNOTATION,
                Base64.getEncoder().encodeToString(SigstoreFixtures.sign(key.getPrivate(), bytes)));
        Descriptor layer = repo.putBlob(bytes, MediaTypes.COSIGN_SIMPLE_SIGNING).withAnnotations(annotations);
        Descriptor config = repo.putBlob("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
        repo.putManifest(ImageManifest.build(null, config, List.of(layer), null, Map.of()), CosignTag.SIGNATURE.tagFor(image));
    }

    private Digest pushImage(OciLayout layout) throws Exception {
        return TestImages.image().pushTo(layout, "v1").digest();
    }

    @Test
    void aKeySignedImageVerifiesWithoutAnyLogWhenTheAuthoritySaysNone() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        Digest image = pushImage(layout);
        KeyPair key = SigstoreFixtures.key("P-256");
        attach(layout, image, image, key, Map.of());
        Authority dhi = Authority.key("dhi", key.getPublic(), TlogRequirement.NONE, null);

        ImageSignatureVerifier.Report report = ImageSignatureVerifier.verify(layout, layout.name(), image, List.of(dhi));
        assertThat(report.trusted()).isTrue();
        assertThat(report.signatures()).hasSize(1);
        assertThat(((VerificationOutcome.Verified) report.signatures().get(0).outcome()).authority()).isEqualTo("dhi");

        Authority other = Authority.key("other", SigstoreFixtures.key("P-256").getPublic(), TlogRequirement.NONE, null);
        assertThat(ImageSignatureVerifier.verify(layout, layout.name(), image, List.of(other)).trusted()).isFalse();
        Authority logged = Authority.key("logged", key.getPublic(), TlogRequirement.REQUIRED, testRoot);
        assertThat(ImageSignatureVerifier.verify(layout, layout.name(), image, List.of(logged)).signatures().get(0).outcome())
                .isEqualTo(new VerificationOutcome.Rejected("logged: no transparency log entry, and authority 'logged' requires one"));
    }

    @Test
    void aPayloadNamingAnotherDigestIsRejected() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        Digest image = pushImage(layout);
        KeyPair key = SigstoreFixtures.key("P-384");
        attach(layout, image, Digest.sha256("another image".getBytes(StandardCharsets.UTF_8)), key, Map.of());
        ImageSignatureVerifier.Report report = ImageSignatureVerifier.verify(layout, layout.name(), image,
                List.of(Authority.key("k", key.getPublic(), TlogRequirement.NONE, null)));
        assertThat(report.trusted()).isFalse();
        assertThat(((VerificationOutcome.Rejected) report.signatures().get(0).outcome()).reason()).startsWith("payload signs sha256:");
    }

    @Test
    void anUnsignedImageHasNoSignatures() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        Digest image = pushImage(layout);
        ImageSignatureVerifier.Report report = ImageSignatureVerifier.verify(layout, layout.name(), image,
                List.of(Authority.key("k", SigstoreFixtures.key("P-256").getPublic(), TlogRequirement.NONE, null)));
        assertThat(report.signatureManifest()).isEmpty();
        assertThat(report.trusted()).isFalse();
    }

    @Test
    void aKeylessSignatureWithItsRekorBundleVerifiesAndTamperingWithItFails() throws Exception {
        KeyPair key = SigstoreFixtures.key("P-256");
        X509Certificate leaf = sigstore.issue(key.getPublic(), SigstoreFixtures.SUBJECT, SigstoreFixtures.ISSUER);
        String certPem = SigstoreFixtures.pem("CERTIFICATE", SigstoreFixtures.encoded(leaf));
        String chainPem = SigstoreFixtures.pem("CERTIFICATE", SigstoreFixtures.encoded(sigstore.intermediate))
                + SigstoreFixtures.pem("CERTIFICATE", SigstoreFixtures.encoded(sigstore.root));
        byte[] payload = "{\"critical\":{}}".getBytes(StandardCharsets.UTF_8);
        byte[] signature = SigstoreFixtures.sign(key.getPrivate(), payload);
        String rekor = sigstore.cosignRekorBundle(SigstoreFixtures.hashedRekordBody(payload, signature, certPem), 7);
        Authority keyless = Authority.keyless("ci", new CertificateIdentity(
                CertificateIdentity.StringMatch.regexp("https://github.com/acme/.*"),
                CertificateIdentity.StringMatch.exact(SigstoreFixtures.ISSUER)), testRoot);

        CosignSignatureVerifier.Evidence evidence = new CosignSignatureVerifier.Evidence(certPem, chainPem, rekor);
        assertThat(CosignSignatureVerifier.verifyBytes(payload, signature, evidence, keyless).verified()).isTrue();
        assertThat(CosignSignatureVerifier.verifyBytes(payload, signature,
                new CosignSignatureVerifier.Evidence(certPem, null, rekor), keyless).verified()).as("chain from the trusted root").isTrue();

        assertThat(CosignSignatureVerifier.verifyBytes(payload, signature,
                new CosignSignatureVerifier.Evidence(certPem, chainPem, null), keyless).verified()).as("no log entry").isFalse();
        byte[] tamperedPayload = payload.clone();
        tamperedPayload[3] ^= 1;
        assertThat(CosignSignatureVerifier.verifyBytes(tamperedPayload, signature, evidence, keyless).verified()).isFalse();
        for (int i = 0; i < signature.length; i++) {
            byte[] sig = signature.clone();
            sig[i] ^= 1;
            assertThat(CosignSignatureVerifier.verifyBytes(payload, sig, evidence, keyless).verified()).as("signature byte %d", i).isFalse();
        }
        String otherLog = sigstore.cosignRekorBundle(SigstoreFixtures.hashedRekordBody(payload, signature, certPem), 8)
                .replaceAll("\"logIndex\":8", "\"logIndex\":7");
        assertThat(CosignSignatureVerifier.verifyBytes(payload, signature,
                new CosignSignatureVerifier.Evidence(certPem, chainPem, otherLog), keyless).verified()).as("SET over another index").isFalse();
        KeyPair otherKey = SigstoreFixtures.key("P-256");
        String otherCert = SigstoreFixtures.pem("CERTIFICATE", SigstoreFixtures.encoded(
                sigstore.issue(otherKey.getPublic(), SigstoreFixtures.SUBJECT, SigstoreFixtures.ISSUER)));
        assertThat(CosignSignatureVerifier.verifyBytes(payload, signature,
                new CosignSignatureVerifier.Evidence(otherCert, chainPem, rekor), keyless).verified()).isFalse();
    }

    @Test
    void theRealWolfiSignatureVerifiesAgainstTheProductionRoot() throws Exception {
        Path oracles = Path.of(System.getProperty("gatehouse.oracles", "../shared/oracles"));
        Path sig = oracles.resolve("image-attestations/openvex-discovery/wolfi-base-sig");
        Path production = oracles.resolve("sigstore-trusted-root/production/trusted_root.json");
        Assumptions.assumeTrue(Files.isDirectory(sig) && Files.isRegularFile(production), "image-attestations oracle absent");
        OciLayout layout = OciLayout.open(sig);
        ImageManifest manifest = (ImageManifest) layout.manifest(layout.index().manifests().get(0));
        Digest image = Digest.parse("sha256:4d31ef1460be2813657ce7ab3cfd0df2a7366a9b72732d4978b2794cbeb8cd32");
        Authority chainguard = Authority.keyless("chainguard", new CertificateIdentity(
                CertificateIdentity.StringMatch.exact("puerco@chainguard.dev"),
                CertificateIdentity.StringMatch.exact("https://accounts.google.com")), TrustedRootSource.file(production));

        ImageSignatureVerifier.SignatureResult result = ImageSignatureVerifier.verifyLayer(layout, 0, manifest.layers().get(0),
                image, List.of(chainguard));
        assertThat(result.outcome().verified()).as("%s", result.outcome()).isTrue();
        assertThat(ImageSignatureVerifier.verifyLayer(layout, 0, manifest.layers().get(0),
                Digest.sha256("other".getBytes(StandardCharsets.UTF_8)), List.of(chainguard)).outcome().verified()).isFalse();
        Authority someoneElse = Authority.keyless("other", new CertificateIdentity(
                CertificateIdentity.StringMatch.exact("someone@example.com"),
                CertificateIdentity.StringMatch.exact("https://accounts.google.com")), TrustedRootSource.file(production));
        assertThat(ImageSignatureVerifier.verifyLayer(layout, 0, manifest.layers().get(0), image, List.of(someoneElse))
                .outcome().verified()).isFalse();
    }
}
