package dev.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gatehouse.ports.local.InMemoryBlobStore;
import dev.gatehouse.rego.archive.BoundedTarGz;
import dev.gatehouse.rego.bundle.BundleSignatures;
import dev.gatehouse.rego.bundle.BundleVerification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyBundleSourceTest {

    @TempDir
    Path dir;

    static Map<String, byte[]> bundle(String revision, String outcome) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put(".manifest", ("{\"revision\": \"" + revision + "\", \"roots\": [\"gatehouse\"]}").getBytes(StandardCharsets.UTF_8));
        files.put("gatehouse/main.rego", ("package gatehouse.main\n\ndecision := {\"allow\": " + outcome.equals("allow")
                + ", \"deny\": " + (outcome.equals("allow") ? "[]" : "[\"denied by " + revision + "\"]") + ", \"warn\": []}\n")
                .getBytes(StandardCharsets.UTF_8));
        return files;
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        return ec.generateKeyPair();
    }

    @Test
    void loadsARevisionFromTheBlobStoreOnceAndEvaluatesIt() throws Exception {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        blobs.put("bundles/2026.11.27-1.tar.gz", BoundedTarGz.write(bundle("2026.11.27-1", "deny")));
        PolicyBundleSource source = PolicyBundleSource.blobStore(blobs, BundleVerification.NONE, null);

        PolicyBundle first = source.bundle("2026.11.27-1");

        assertThat(first.revision()).isEqualTo("2026.11.27-1");
        assertThat(source.bundle("2026.11.27-1")).isSameAs(first);
        Decision decision = first.evaluate(JsonNodeFactory.instance.objectNode(), s -> { });
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.DENY);
        assertThat(decision.bundleRevision()).isEqualTo("2026.11.27-1");
    }

    @Test
    void aMissingRevisionNamesTheBlobAndIsRetriedOnTheNextCall() throws Exception {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        PolicyBundleSource source = PolicyBundleSource.blobStore(blobs, BundleVerification.NONE, null);

        assertThatThrownBy(() -> source.bundle("r2")).isInstanceOf(PolicyException.class)
                .hasMessage("no policy bundle for revision r2 (blob bundles/r2.tar.gz is missing)");

        blobs.put("bundles/r2.tar.gz", BoundedTarGz.write(bundle("r2", "allow")));
        assertThat(source.bundle("r2").revision()).isEqualTo("r2");
    }

    @Test
    void refusesABundleFiledUnderAnotherRevision() throws Exception {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        blobs.put("bundles/r3.tar.gz", BoundedTarGz.write(bundle("r1", "allow")));

        assertThatThrownBy(() -> PolicyBundleSource.blobStore(blobs, BundleVerification.NONE, null).bundle("r3"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("declares revision r1 in its .manifest, not r3");
    }

    @Test
    void refusesRevisionsThatCannotNameAFile() {
        PolicyBundleSource source = PolicyBundleSource.blobStore(new InMemoryBlobStore(), BundleVerification.NONE, null);

        assertThatThrownBy(() -> source.bundle("../etc")).isInstanceOf(PolicyException.class).hasMessageContaining("invalid policy revision");
        assertThatThrownBy(() -> source.bundle("git:abc")).isInstanceOf(PolicyException.class).hasMessageContaining("cannot name a stored bundle");
    }

    @Test
    void signedBundlesAreVerifiedAndTamperedOrUnsignedOnesRefused() throws Exception {
        KeyPair key = ecKey();
        BundleVerification verification = new BundleVerification(key.getPublic(), "policy-key", true);
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        Map<String, byte[]> signed = bundle("signed-1", "allow");
        signed.put(BundleSignatures.FILE, BundleSignatures.sign(signed, key.getPrivate(), "ES256", "policy-key"));
        blobs.put("bundles/signed-1.tar.gz", BoundedTarGz.write(signed));
        Map<String, byte[]> tampered = bundle("tampered-1", "allow");
        tampered.put(BundleSignatures.FILE, BundleSignatures.sign(tampered, key.getPrivate(), "ES256", "policy-key"));
        tampered.put("gatehouse/main.rego", bundle("tampered-1", "deny").get("gatehouse/main.rego"));
        blobs.put("bundles/tampered-1.tar.gz", BoundedTarGz.write(tampered));
        blobs.put("bundles/unsigned-1.tar.gz", BoundedTarGz.write(bundle("unsigned-1", "allow")));
        PolicyBundleSource source = PolicyBundleSource.blobStore(blobs, verification, null);

        assertThat(source.bundle("signed-1").signed()).isTrue();
        assertThatThrownBy(() -> source.bundle("tampered-1")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("digest mismatch for gatehouse/main.rego");
        assertThatThrownBy(() -> source.bundle("unsigned-1")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("missing .signatures.json");
    }

    @Test
    void readsRevisionsFromADirectoryAsArchivesOrTrees() throws Exception {
        Files.write(dir.resolve("r1.tar.gz"), BoundedTarGz.write(bundle("r1", "allow")));
        for (Map.Entry<String, byte[]> file : bundle("r2", "deny").entrySet()) {
            Path target = dir.resolve("r2").resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        PolicyBundleSource source = PolicyBundleSource.directory(dir, BundleVerification.NONE, null);

        assertThat(source.bundle("r1").revision()).isEqualTo("r1");
        assertThat(source.bundle("r2").revision()).isEqualTo("r2");
        assertThatThrownBy(() -> source.bundle("r3")).hasMessageContaining("neither r3.tar.gz nor r3/");
    }

    @Test
    void embeddedAnswersItsOwnRevisionAndTheEmbeddedAlias() throws Exception {
        PolicyBundleSource source = PolicyBundleSource.embedded();
        PolicyBundle hardened = source.bundle(PolicyBundleSource.EMBEDDED_REVISION);

        assertThat(source.bundle(hardened.revision())).isSameAs(hardened);
        assertThatThrownBy(() -> source.bundle("other")).hasMessageContaining("no embedded policy bundle has revision other");
    }
}
