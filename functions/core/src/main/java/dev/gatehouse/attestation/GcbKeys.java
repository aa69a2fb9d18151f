package dev.gatehouse.attestation;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.signature.Authority;
import dev.gatehouse.signature.PublicKeys;
import dev.gatehouse.signature.TlogRequirement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Cloud Build's provenance signing keys (public Cloud KMS keys, one per region plus two
 * global keys that sign the DSSE pre-authentication encoding), shipped as PEM resources in
 * {@code gcb-keys/}, the same set slsa-verifier embeds.
 */
final class GcbKeys {

    static final String V1_GLOBAL_PAE_KEY_ID =
            "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/google-hosted-worker/cryptoKeyVersions/1";
    static final String V01_GLOBAL_PAE_KEY_ID =
            "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/provenanceSigner/cryptoKeyVersions/1";
    private static final Map<String, String> GLOBAL_NAMES = Map.of(
            V1_GLOBAL_PAE_KEY_ID, "global-pae-google-hosted-worker_1",
            V01_GLOBAL_PAE_KEY_ID, "global-pae-provenanceSigner_1");
    private static final Pattern REGIONAL = Pattern.compile(
            "^projects/verified-builder/locations/([a-z0-9-]{1,40})/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1$");

    /**
     * A key as an authority of the signature package (no transparency log: Cloud Build does not
     * log its provenance), and whether it signs the PAE (global keys) or the payload itself
     * (regional keys).
     */
    record Key(String name, Authority authority, boolean signsPae) {}

    private final Map<String, Optional<PublicKey>> cache = new ConcurrentHashMap<>();

    /** The key a signature's key id names, or empty when the id names no known key. */
    Optional<Key> forKeyId(String keyId) {
        String global = GLOBAL_NAMES.get(keyId);
        if (global != null) {
            return load(global).map(k -> new Key(global, Authority.key(global, k, TlogRequirement.NONE, null), true));
        }
        Matcher m = REGIONAL.matcher(keyId);
        if (m.matches()) {
            String region = m.group(1);
            return load(region).map(k -> new Key(region, Authority.key(region, k, TlogRequirement.NONE, null), false));
        }
        return Optional.empty();
    }

    private Optional<PublicKey> load(String name) {
        return cache.computeIfAbsent(name, n -> {
            try (InputStream in = GcbKeys.class.getResourceAsStream("gcb-keys/" + n + ".key")) {
                if (in == null) {
                    return Optional.empty();
                }
                return Optional.of(PublicKeys.fromPem(new String(in.readAllBytes(), StandardCharsets.US_ASCII), "gcb-keys/" + n));
            } catch (IOException | MalformedInputException e) {
                throw new IllegalStateException("shipped GCB key " + n + " is unreadable", e);
            }
        });
    }
}
