package dev.gatehouse.policy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.testing.Fuzzing;
import dev.gatehouse.rego.archive.BoundedTarGz;
import dev.gatehouse.rego.bundle.BundleVerification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Policy bundles as .tar.gz (gzip, tar headers, manifest, data, Rego) load and compile or are refused with a PolicyException. */
class PolicyBundleFuzzTest {

    private static final Path FILE = tempFile();

    private static Path tempFile() {
        try {
            return Files.createTempFile("bundle-fuzz", ".tar.gz");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void remove() throws Exception {
        Files.deleteIfExists(FILE);
    }

    static Stream<Arguments> bundles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".manifest", Fuzzing.utf8("{\"revision\": \"r1\", \"roots\": [\"gatehouse\"], \"rego_version\": 1}"));
        files.put("gatehouse/data.json", Fuzzing.utf8("{\"settings\": {\"max_critical\": 0, \"approved_bases\": [\"gcr.io/distroless/*\"]}}"));
        files.put("gatehouse/main.rego", Fuzzing.utf8("""
                package gatehouse.main

                deny contains msg if {
                    some f in input.findings
                    f.severity == "CRITICAL"
                    msg := sprintf("%s is critical", [f.id])
                }

                decision := {"allow": count(deny) <= data.gatehouse.settings.max_critical, "violations": deny}
                """));
        files.put("gatehouse/extra.yaml", Fuzzing.utf8("owners: [a, b]\n"));
        Map<String, byte[]> v0 = new LinkedHashMap<>();
        v0.put(".manifest", Fuzzing.utf8("{\"rego_version\": 0}"));
        v0.put("x/p.rego", Fuzzing.utf8("package x\ndecision = {\"allow\": true} { input.a[_] = 1 }\n"));
        return Fuzzing.seeds(List.of(BoundedTarGz.write(files), BoundedTarGz.write(v0)));
    }

    @MethodSource("bundles")
    @FuzzTest
    void tarGzBundlesLoadOrAreRejected(byte[] input) throws Exception {
        Files.write(FILE, input);
        Fuzzing.acceptOrReject(input, bytes -> PolicyBundle.load(FILE, BundleVerification.NONE, "data.gatehouse.main.decision"),
                PolicyException.class);
    }
}
