package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Generated keys, Fulcio-style certificates and signed SLSA provenance for tests; nothing read from disk. */
final class ProvenanceFixtures {

    static final String GENERATOR = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml";
    static final String REPO = "acme/widget";
    static final String ARTIFACT = "3c9909afec25354d551dae21590bb26e38d53f2173b8d3dc3eee4c047e7ab1c1";

    private static final KeyPair CA = keyPair();
    private static final X509Certificate CA_CERT = caCertificate();

    private ProvenanceFixtures() {}

    /** A signing certificate for {@code workflowUri}, called from {@code repository}, issued by the test CA. */
    static X509Certificate certificate(KeyPair key, String workflowUri, String repository) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=test-fulcio"), BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(1, ChronoUnit.MINUTES)), Date.from(now.plus(10, ChronoUnit.MINUTES)), new X500Name("CN=leaf"),
                    key.getPublic());
            b.addExtension(Extension.subjectAlternativeName, true,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, workflowUri)));
            b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.1"), false,
                    WorkflowIdentity.GITHUB_ISSUER.getBytes(StandardCharsets.UTF_8));
            b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.13"), false, new DERUTF8String("0123abcd"));
            b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.12"), false, new DERUTF8String("https://github.com/" + repository));
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(CA.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate caCertificate() {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=test-fulcio"), BigInteger.ONE,
                    Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=test-fulcio"),
                    CA.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(CA.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** SLSA v0.2 provenance of slsa-github-generator's generic generator, as a statement. */
    static ObjectNode statement(String builderId, String ref, String refType, String event) {
        ObjectNode s = UntrustedJson.mapper().createObjectNode();
        s.put("_type", InTotoStatement.V01);
        s.put("predicateType", GhaProvenance.SLSA_V02);
        ObjectNode subject = s.putArray("subject").addObject();
        subject.put("name", "widget");
        subject.putObject("digest").put("sha256", ARTIFACT);
        ObjectNode p = s.putObject("predicate");
        p.putObject("builder").put("id", builderId);
        p.put("buildType", "https://github.com/slsa-framework/slsa-github-generator/generic@v1");
        ObjectNode inv = p.putObject("invocation");
        inv.putObject("configSource").put("uri", "git+https://github.com/" + REPO + "@" + ref).put("entryPoint", ".github/workflows/release.yml");
        ObjectNode env = inv.putObject("environment");
        env.put("github_event_name", event);
        env.put("github_ref", ref);
        env.put("github_ref_type", refType);
        env.put("github_base_ref", "");
        ObjectNode payload = env.putObject("github_event_payload");
        payload.putObject("inputs").put("channel", "stable");
        payload.putNull("base_ref");
        p.putArray("materials").addObject().put("uri", "git+https://github.com/" + REPO + "@" + ref).putObject("digest").put("sha1", "0123abcd");
        return s;
    }

    /** A bare DSSE envelope over {@code statement}, signed with {@code key}, its certificate inside the signature. */
    static byte[] envelope(ObjectNode statement, KeyPair key, X509Certificate cert) {
        try {
            byte[] payload = UntrustedJson.mapper().writeValueAsBytes(statement);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key.getPrivate());
            signer.update(DsseEnvelope.pae(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, payload));
            ObjectNode env = UntrustedJson.mapper().createObjectNode();
            env.put("payloadType", DsseEnvelope.IN_TOTO_PAYLOAD_TYPE);
            env.put("payload", Base64.getEncoder().encodeToString(payload));
            ObjectNode sig = env.putArray("signatures").addObject();
            sig.put("keyid", "");
            sig.put("sig", Base64.getEncoder().encodeToString(signer.sign()));
            sig.put("cert", "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            return UntrustedJson.mapper().writeValueAsBytes(env);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
