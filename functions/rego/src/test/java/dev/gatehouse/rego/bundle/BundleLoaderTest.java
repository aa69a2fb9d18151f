package dev.gatehouse.rego.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.rego.archive.BoundedTarGz;
import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.eval.EvalOptions;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.value.Value;
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

class BundleLoaderTest {

    @TempDir
    Path tmp;

    private static Map<String, byte[]> files() {
        Map<String, byte[]> f = new TreeMap<>();
        f.put(".manifest", "{\"revision\":\"r1\",\"roots\":[\"gate\"]}".getBytes(StandardCharsets.UTF_8));
        f.put("gate/policy.rego", """
                package gate

                allow if input.severity in data.gate.allowed
                """.getBytes(StandardCharsets.UTF_8));
        f.put("gate/data.json", "{\"allowed\": [\"LOW\"]}".getBytes(StandardCharsets.UTF_8));
        f.put("gate/extra/data.yaml", "limit: 3\n".getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private static boolean allowed(Bundle b, String severity) throws Exception {
        Policy p = b.compile(BuiltinRegistry.standard());
        Value input = dev.gatehouse.rego.value.ValueJson.parse("{\"severity\":\"" + severity + "\"}");
        return !p.query("data.gate.allow", input, EvalOptions.DEFAULT, s -> { }).isEmpty();
    }

    @Test
    void directoryBundleLoadsManifestDataAndPolicies() throws Exception {
        for (Map.Entry<String, byte[]> e : files().entrySet()) {
            Path p = tmp.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        Bundle b = BundleLoader.load(tmp, BundleVerification.NONE, false);
        assertThat(b.revision()).isEqualTo("r1");
        assertThat(b.roots()).containsExactly("gate");
        assertThat(dev.gatehouse.rego.value.ValueJson.write(b.data())).isEqualTo("{\"gate\":{\"allowed\":[\"LOW\"],\"extra\":{\"limit\":3}}}");
        assertThat(allowed(b, "LOW")).isTrue();
        assertThat(allowed(b, "HIGH")).isFalse();
    }

    @Test
    void tarGzBundleLoads() throws Exception {
        Path tgz = tmp.resolve("bundle.tar.gz");
        Files.write(tgz, BoundedTarGz.write(files()));
        assertThat(allowed(BundleLoader.load(tgz, BundleVerification.NONE, false), "LOW")).isTrue();
    }

    @Test
    void filesOutsideTheRootsAreRejected() {
        Map<String, byte[]> f = files();
        f.put("other/p.rego", "package other\n\nx := 1\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> BundleLoader.fromFiles("b", f, BundleVerification.NONE, false))
                .hasMessageContaining("outside the manifest roots");
    }

    @Test
    void rootDataFilesMayOnlyHoldDataUnderTheRoots() throws Exception {
        Map<String, byte[]> ok = files();
        ok.put("data.json", "{\"gate\": {\"limit\": 1}}".getBytes(StandardCharsets.UTF_8));
        assertThat(BundleLoader.fromFiles("b", ok, BundleVerification.NONE, false).data().get("gate")).isNotNull();
        Map<String, byte[]> bad = files();
        bad.put("data.json", "{\"elsewhere\": 1}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> BundleLoader.fromFiles("b", bad, BundleVerification.NONE, false))
                .hasMessageContaining("data in data.json at elsewhere is outside the manifest roots");
    }

    @Test
    void tarEntriesThatEscapeTheBundleAreRejected() throws Exception {
        Map<String, byte[]> f = new TreeMap<>();
        f.put("../evil.rego", "package x".getBytes(StandardCharsets.UTF_8));
        Path tgz = tmp.resolve("evil.tar.gz");
        Files.write(tgz, BoundedTarGz.write(f));
        assertThatThrownBy(() -> BundleLoader.load(tgz, BundleVerification.NONE, false)).hasMessageContaining("escapes the bundle");
    }

    @Test
    void rs256AndEs256SignaturesVerify() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rk = rsa.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ek = ec.generateKeyPair();
        for (Object[] c : new Object[][] {{rk, "RS256"}, {ek, "ES256"}}) {
            KeyPair kp = (KeyPair) c[0];
            Map<String, byte[]> f = files();
            f.put(BundleSignatures.FILE, BundleSignatures.sign(f, kp.getPrivate(), (String) c[1], "k1"));
            Bundle b = BundleLoader.fromFiles("b", f, new BundleVerification(kp.getPublic(), "k1", true), false);
            assertThat(b.signed()).isTrue();
        }
    }

    @Test
    void tamperedOrUnsignedBundlesAreRejectedWhenAKeyIsConfigured() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = ec.generateKeyPair();
        BundleVerification verify = new BundleVerification(kp.getPublic(), null, false);
        Map<String, byte[]> f = files();
        f.put(BundleSignatures.FILE, BundleSignatures.sign(f, kp.getPrivate(), "ES256", null));
        f.put("gate/data.json", "{\"allowed\": [\"LOW\", \"HIGH\"]}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> BundleLoader.fromFiles("b", f, verify, false)).hasMessageContaining("digest mismatch for gate/data.json");

        Map<String, byte[]> added = files();
        added.put(BundleSignatures.FILE, BundleSignatures.sign(added, kp.getPrivate(), "ES256", null));
        added.put("gate/more.rego", "package gate\n\nx := 1\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> BundleLoader.fromFiles("b", added, verify, false)).hasMessageContaining("not covered by the signature");

        assertThatThrownBy(() -> BundleLoader.fromFiles("b", files(), verify, false)).hasMessageContaining("missing .signatures.json");
        assertThatThrownBy(() -> BundleLoader.fromFiles("b", files(), new BundleVerification(null, null, true), false))
                .hasMessageContaining("no verification key");
    }

    @Test
    void signatureFromAnotherKeyIsRejected() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair signer = ec.generateKeyPair();
        KeyPair other = ec.generateKeyPair();
        Map<String, byte[]> f = files();
        f.put(BundleSignatures.FILE, BundleSignatures.sign(f, signer.getPrivate(), "ES256", null));
        assertThatThrownBy(() -> BundleLoader.fromFiles("b", f, new BundleVerification(other.getPublic(), null, true), false))
                .hasMessageContaining("signature does not verify");
    }

    @Test
    void manifestFieldsOfTheWrongTypeAreRefusedAsOpaDoes() {
        Map<String, byte[]> revision = files();
        revision.put(".manifest", "{\"revision\": 7}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> BundleLoader.fromFiles("b", revision, BundleVerification.NONE, false))
                .hasMessage("bundle b: .manifest revision must be a string");
        Map<String, byte[]> roots = files();
        roots.put(".manifest", "{\"roots\": \"gate\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> BundleLoader.fromFiles("b", roots, BundleVerification.NONE, false))
                .hasMessage("bundle b: .manifest roots must be an array of strings");
    }

    @Test
    void malformedYamlDataNamesLineColumnAndProblemWithoutQuotingTheDocument() {
        Map<String, byte[]> f = files();
        f.put("gate/extra/data.yaml", "secret: s3cr3t\nlimit: [\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> BundleLoader.fromFiles("b", f, BundleVerification.NONE, false))
                .hasMessage("bundle b: gate/extra/data.yaml: YAML at line 2, column 9: while parsing a flow node: "
                        + "expected the node content, but found '<stream end>'");
    }
}
