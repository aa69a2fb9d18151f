package dev.gatehouse.ports;

import dev.gatehouse.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Fresh digests and names per test, so contract tests can share one table, bucket or queue. */
public final class PortFixtures {

    private PortFixtures() {}

    public static Digest randomDigest() {
        return Digest.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A repository name no other test uses. */
    public static String randomRepository(String name) {
        return "registry.example.com:5000/" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String randomToken(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
