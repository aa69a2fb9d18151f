package dev.gatehouse.rego.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * OPA bundle signatures: {@code .signatures.json} holds one JWT (RS256/384/512 or ES256/384/512)
 * whose payload lists every file with its digest. JSON files are digested in OPA's canonical form
 * (sorted keys, no insignificant space); other files as raw bytes.
 */
public final class BundleSignatures {

    public static final String FILE = ".signatures.json";
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(ValueJson.MAX_DEPTH).build()).build();

    private BundleSignatures() {
    }

    /** Verifies the bundle's signature when a key is configured; returns whether it was verified. */
    static boolean verify(String label, Map<String, byte[]> files, BundleVerification v) throws BundleException {
        if (v.key() == null) {
            if (v.signatureRequired()) {
                throw new BundleException("bundle " + label + ": signature verification required but no verification key is configured");
            }
            return false;
        }
        byte[] sigFile = files.get(FILE);
        if (sigFile == null) {
            throw new BundleException("bundle " + label + ": missing " + FILE + " but a verification key is configured");
        }
        Value doc = BundleLoader.json(label, FILE, sigFile);
        if (!(doc instanceof ObjectValue o) || !(o.get("signatures") instanceof ArrayValue sigs) || sigs.size() != 1
                || !(sigs.get(0) instanceof StringValue jwt)) {
            throw new BundleException("bundle " + label + ": " + FILE + " must hold exactly one signature");
        }
        ObjectValue payload = verifyJwt(label, jwt.value(), v);
        if (!(payload.get("files") instanceof ArrayValue listed)) {
            throw new BundleException("bundle " + label + ": signature payload has no files");
        }
        Set<String> covered = new HashSet<>();
        for (Value entry : listed.elements()) {
            if (!(entry instanceof ObjectValue fe) || !(fe.get("name") instanceof StringValue name)
                    || !(fe.get("hash") instanceof StringValue hash)) {
                throw new BundleException("bundle " + label + ": malformed file entry in signature payload");
            }
            String alg = fe.get("algorithm") instanceof StringValue a ? a.value() : "SHA-256";
            String file = BundleFiles.safeName(label, name.value());
            byte[] content = files.get(file);
            if (content == null) {
                throw new BundleException("bundle " + label + ": signed file " + file + " is missing from the bundle");
            }
            String actual = HexFormat.of().formatHex(digest(label, alg, file, content));
            if (!actual.equalsIgnoreCase(hash.value())) {
                throw new BundleException("bundle " + label + ": digest mismatch for " + file);
            }
            covered.add(file);
        }
        for (String f : files.keySet()) {
            if (!f.equals(FILE) && !covered.contains(f)) {
                throw new BundleException("bundle " + label + ": file " + f + " is not covered by the signature");
            }
        }
        return true;
    }

    private static ObjectValue verifyJwt(String label, String jwt, BundleVerification v) throws BundleException {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw new BundleException("bundle " + label + ": signature is not a compact JWS");
        }
        Value header = decodePart(label, parts[0]);
        Value payload = decodePart(label, parts[1]);
        if (!(header instanceof ObjectValue h) || !(payload instanceof ObjectValue p)) {
            throw new BundleException("bundle " + label + ": malformed JWT");
        }
        String alg = h.get("alg") instanceof StringValue a ? a.value() : "";
        if (v.keyId() != null) {
            String kid = h.get("kid") instanceof StringValue k ? k.value() : p.get("keyid") instanceof StringValue k2 ? k2.value() : null;
            if (!v.keyId().equals(kid)) {
                throw new BundleException("bundle " + label + ": signature key id " + kid + " does not match " + v.keyId());
            }
        }
        String javaAlg = switch (alg) {
            case "RS256" -> "SHA256withRSA";
            case "RS384" -> "SHA384withRSA";
            case "RS512" -> "SHA512withRSA";
            case "ES256" -> "SHA256withECDSAinP1363Format";
            case "ES384" -> "SHA384withECDSAinP1363Format";
            case "ES512" -> "SHA512withECDSAinP1363Format";
            default -> throw new BundleException("bundle " + label + ": unsupported signature algorithm " + alg);
        };
        PublicKey key = v.key();
        if (alg.startsWith("RS") && !(key instanceof RSAPublicKey) || alg.startsWith("ES") && !(key instanceof ECPublicKey)) {
            throw new BundleException("bundle " + label + ": signature algorithm " + alg + " does not match the verification key");
        }
        try {
            Signature s = Signature.getInstance(javaAlg);
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new BundleException("bundle " + label + ": signature does not verify");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new BundleException("bundle " + label + ": signature does not verify: " + e.getMessage());
        }
        return p;
    }

    private static Value decodePart(String label, String part) throws BundleException {
        try {
            return ValueJson.parse(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new BundleException("bundle " + label + ": malformed JWT: " + e.getMessage());
        }
    }

    /** The digest OPA signs for a bundle file. */
    public static byte[] digest(String label, String algorithm, String name, byte[] content) throws BundleException {
        String alg = switch (algorithm.toUpperCase(java.util.Locale.ROOT)) {
            case "SHA-256", "SHA256" -> "SHA-256";
            case "SHA-384", "SHA384" -> "SHA-384";
            case "SHA-512", "SHA512" -> "SHA-512";
            case "SHA-1", "SHA1" -> "SHA-1";
            case "MD5" -> "MD5";
            default -> throw new BundleException("bundle " + label + ": unsupported digest algorithm " + algorithm);
        };
        try {
            MessageDigest md = MessageDigest.getInstance(alg);
            return md.digest(name.endsWith(".json") ? canonicalJson(label, name, content) : content);
        } catch (GeneralSecurityException e) {
            throw new BundleException("bundle " + label + ": " + e.getMessage());
        }
    }

    /** JSON with sorted keys and no whitespace, strings escaped like Go's encoder without HTML escaping. */
    static byte[] canonicalJson(String label, String name, byte[] content) throws BundleException {
        try (JsonParser p = JSON.createParser(content)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new BundleException("bundle " + label + ": " + name + ": empty JSON");
            }
            Object tree = read(p, t);
            StringBuilder sb = new StringBuilder();
            emit(tree, sb);
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BundleException("bundle " + label + ": " + name + ": " + e.getMessage());
        }
    }

    private record Raw(String text) {
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                TreeMap<String, Object> m = new TreeMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    m.put(k, read(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(read(p, n));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            default -> {
                return new Raw(p.getText());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void emit(Object o, StringBuilder sb) {
        if (o instanceof TreeMap<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : ((TreeMap<String, Object>) m).entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(e.getKey(), sb);
                sb.append(':');
                emit(e.getValue(), sb);
            }
            sb.append('}');
        } else if (o instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                emit(l.get(i), sb);
            }
            sb.append(']');
        } else if (o instanceof String s) {
            quote(s, sb);
        } else {
            sb.append(((Raw) o).text());
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Builds the {@code .signatures.json} content for files, signed by {@code signer} with RS256 or ES256 (tests and tooling). */
    public static byte[] sign(Map<String, byte[]> files, java.security.PrivateKey signer, String alg, String keyId) throws BundleException {
        StringBuilder payload = new StringBuilder("{\"files\":[");
        boolean first = true;
        for (Map.Entry<String, byte[]> e : new TreeMap<>(files).entrySet()) {
            if (e.getKey().equals(FILE)) {
                continue;
            }
            if (!first) {
                payload.append(',');
            }
            first = false;
            payload.append("{\"name\":");
            quote(e.getKey(), payload);
            payload.append(",\"hash\":\"").append(HexFormat.of().formatHex(digest("signer", "SHA-256", e.getKey(), e.getValue())))
                    .append("\",\"algorithm\":\"SHA-256\"}");
        }
        payload.append("]");
        if (keyId != null) {
            payload.append(",\"keyid\":");
            quote(keyId, payload);
        }
        payload.append('}');
        String header = "{\"alg\":\"" + alg + "\"" + (keyId == null ? "" : ",\"kid\":\"" + keyId + "\"") + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance(alg.startsWith("RS") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
            s.initSign(signer);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            String jwt = signingInput + "." + b64.encodeToString(s.sign());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(("{\"signatures\":[\"" + jwt + "\"]}").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new BundleException("signing failed: " + e.getMessage());
        }
    }
}
