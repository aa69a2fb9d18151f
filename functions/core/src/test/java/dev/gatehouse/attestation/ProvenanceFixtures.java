package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;

/** Generated keys, Fulcio certificates (with SCTs, from a generated trusted root) and signed SLSA provenance for tests. */
final class ProvenanceFixtures {

    static final String GENERATOR = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml";
    static final String REPO = "acme/widget";
    static final String ARTIFACT = "3c9909afec25354d551dae21590bb26e38d53f2173b8d3dc3eee4c047e7ab1c1";

    /** The Fulcio, CT log and Rekor of these fixtures; {@link #writeTrustedRoot} names them. */
    static final SigstoreFixtures SIGSTORE = new SigstoreFixtures();

    private ProvenanceFixtures() {}

    /** A Fulcio certificate for {@code workflowUri}, called from {@code repository}, with GitHub's workflow claims. */
    static X509Certificate certificate(KeyPair key, String workflowUri, String repository) {
        return SIGSTORE.issue(key.getPublic(), workflowUri, WorkflowIdentity.GITHUB_ISSUER,
                Map.of("1.3.6.1.4.1.57264.1.13", "0123abcd", "1.3.6.1.4.1.57264.1.12", "https://github.com/" + repository));
    }

    static Path writeTrustedRoot(Path dir) {
        try {
            return SIGSTORE.writeTrustedRoot(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KeyPair keyPair() {
        return SigstoreFixtures.key("P-256");
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
