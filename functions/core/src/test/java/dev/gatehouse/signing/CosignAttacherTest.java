package dev.gatehouse.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.signature.SignatureCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CosignAttacherTest {

    @TempDir
    Path dir;

    @Test
    void signatureLayerVerifiesWithThePublicKeyAndNamesTheDigest() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        Descriptor image = TestImages.image().pushTo(layout, "v1");
        LocalKeySigner signer = LocalKeySigner.generate("test");
        CosignAttacher attacher = new CosignAttacher(layout);

        attacher.attachSignature(image.digest(), "example.com/app", signer);
        attacher.attachSignature(image.digest(), "example.com/app", signer);

        Descriptor sig = layout.cosignArtifact(image.digest(), CosignTag.SIGNATURE).orElseThrow();
        ImageManifest manifest = (ImageManifest) layout.manifest(sig);
        assertThat(manifest.layers()).hasSize(2);
        Descriptor layer = manifest.layers().get(0);
        assertThat(layer.mediaType()).isEqualTo(MediaTypes.COSIGN_SIMPLE_SIGNING);
        byte[] payload = layout.blob(layer.digest(), 1 << 20);
        JsonNode json = UntrustedJson.parse(payload, "payload");
        assertThat(json.at("/critical/image/docker-manifest-digest").asText()).isEqualTo(image.digest().toString());
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(signer.publicKey());
        verify.update(payload);
        assertThat(verify.verify(Base64.getDecoder().decode(layer.annotation(CosignAttacher.SIGNATURE_ANNOTATION)))).isTrue();
    }

    @Test
    void attestationIsASignedDsseInTotoStatementAboutTheImage() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        Descriptor image = TestImages.image().pushTo(layout, "v1");
        LocalKeySigner signer = LocalKeySigner.generate("test");

        new CosignAttacher(layout).attachAttestation(image.digest(), "example.com/app", "https://openvex.dev/ns/v0.2.0",
                UntrustedJson.parse("{\"statements\":[]}", "vex"), signer);

        Descriptor att = layout.cosignArtifact(image.digest(), CosignTag.ATTESTATION).orElseThrow();
        Descriptor layer = ((ImageManifest) layout.manifest(att)).layers().get(0);
        assertThat(layer.annotation(CosignAttacher.PREDICATE_TYPE_ANNOTATION)).isEqualTo("https://openvex.dev/ns/v0.2.0");
        JsonNode envelope = UntrustedJson.parse(layout.blob(layer.digest(), 1 << 20), "dsse");
        byte[] payload = Base64.getDecoder().decode(envelope.get("payload").asText());
        JsonNode statement = UntrustedJson.parse(payload, "statement");
        assertThat(statement.at("/subject/0/digest/sha256").asText()).isEqualTo(image.digest().hex());
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(signer.publicKey());
        verify.update(SignatureCheck.pae(envelope.get("payloadType").asText(), payload));
        assertThat(verify.verify(Base64.getDecoder().decode(envelope.at("/signatures/0/sig").asText()))).isTrue();
    }

    @Test
    void paeMatchesTheDsseSpecification() {
        assertThat(new String(SignatureCheck.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }
}
