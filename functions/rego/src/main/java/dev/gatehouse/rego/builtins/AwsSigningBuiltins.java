package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * providers.aws.sign_req: AWS Signature Version 4 over a request object, as OPA signs it (its
 * internal/providers/aws signer): the request's own headers are signed too (lowercased, except
 * authorization, user-agent and x-amzn-trace-id), s3 and glacier get x-amz-content-sha256, and the
 * result is the request with the original headers plus Authorization and the x-amz-* headers.
 */
final class AwsSigningBuiltins {

    private static final Set<String> REQUIRED_CONFIG = Set.of("aws_service", "aws_access_key", "aws_secret_access_key", "aws_region");

    /** The keys http.send accepts; sign_req validates the request against the same list. */
    private static final Set<String> HTTP_REQUEST_KEYS = Set.of("method", "url", "body", "enable_redirect", "force_json_decode",
            "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs", "tls_ca_cert", "tls_ca_cert_file",
            "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file", "tls_client_cert_env_variable", "tls_client_key",
            "tls_client_key_file", "tls_client_key_env_variable", "tls_insecure_skip_verify", "tls_server_name", "timeout", "cache",
            "force_cache", "force_cache_duration_seconds", "raise_error", "caching_mode", "max_retry_attempts");

    private static final Set<String> UNSIGNED_HEADERS = Set.of("authorization", "user-agent", "x-amzn-trace-id");

    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private AwsSigningBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("providers.aws.sign_req", 3, (a, c) -> signRequest(a));
    }

    private static Value signRequest(Value[] a) throws BuiltinException {
        ObjectValue request = Operands.object(a, 0);
        // OPA reports a non-object config and a non-number time as operand 1 too.
        if (!(a[1] instanceof ObjectValue config)) {
            throw BuiltinException.operandType(1, a[1], "object");
        }
        checkConfig(config);
        if (!(a[2] instanceof NumberValue time)) {
            throw BuiltinException.operandType(1, a[2], "number");
        }
        Instant signingTime = instant(time);
        checkRequest(request);

        Map<String, String> headers = new LinkedHashMap<>();
        Value headersValue = request.get("headers");
        if (headersValue != null) {
            if (!(headersValue instanceof ObjectValue headerObject)) {
                throw BuiltinException.operandType(0, headersValue, "object");
            }
            for (Map.Entry<Value, Value> e : headerObject.entrySet()) {
                headers.put(text(e.getKey()), text(e.getValue()));
            }
        }
        List<Value> invalid = new ArrayList<>();
        if (!(request.get("url") instanceof StringValue)) {
            invalid.add(StringValue.of("url"));
        }
        if (!(request.get("method") instanceof StringValue)) {
            invalid.add(StringValue.of("method"));
        }
        if (!invalid.isEmpty()) {
            throw BuiltinException.error("operand 1 invalid values for required request parameters(s): " + SetValue.of(invalid));
        }
        GoUrl url = GoUrl.parse(text(request.get("url")));
        String method = text(request.get("method"));

        byte[] body;
        if (request.get("raw_body") != null) {
            body = text(request.get("raw_body")).getBytes(StandardCharsets.UTF_8);
        } else if (request.get("body") != null) {
            body = JsonBuiltins.GoJson.marshal(request.get("body"), null, null).getBytes(StandardCharsets.UTF_8);
        } else {
            body = new byte[0];
        }

        boolean unsignedPayload = false;
        Value disable = config.get("disable_payload_signing");
        if (disable != null) {
            if (!(disable instanceof BooleanValue b)) {
                throw BuiltinException.error("operand 2 invalid value for 'disable_payload_signing' in AWS config");
            }
            unsignedPayload = b.value();
        }

        Credentials creds = new Credentials(text(config.get("aws_access_key")), text(config.get("aws_secret_access_key")),
                text(config.get("aws_region")), config.get("aws_session_token") == null ? "" : text(config.get("aws_session_token")),
                text(config.get("aws_service")));
        Map<String, String> awsHeaders = sign(headers, method, url, body, creds, signingTime, unsignedPayload);

        ObjectValue.Builder signedHeaders = ObjectValue.builder();
        headers.forEach((k, v) -> signedHeaders.put(k, StringValue.of(v)));
        awsHeaders.forEach((k, v) -> signedHeaders.put(k, StringValue.of(v)));
        return request.with(StringValue.of("headers"), signedHeaders.build());
    }

    private record Credentials(String accessKey, String secretKey, String region, String sessionToken, String service) {
    }

    /** The Authorization header first, then the x-amz-* and host headers that were signed. */
    private static Map<String, String> sign(Map<String, String> requestHeaders, String method, GoUrl url, byte[] body, Credentials creds,
            Instant time, boolean unsignedPayload) throws BuiltinException {
        String payloadHash = unsignedPayload ? UNSIGNED_PAYLOAD : hex(sha256(body));
        String day = DAY.format(time);
        String stamp = STAMP.format(time);

        Map<String, String> awsHeaders = new LinkedHashMap<>();
        awsHeaders.put("host", url.host());
        awsHeaders.put("x-amz-date", stamp);
        if (creds.service().equals("s3") || creds.service().equals("glacier")) {
            awsHeaders.put("x-amz-content-sha256", payloadHash);
        }
        if (!creds.sessionToken().isEmpty()) {
            awsHeaders.put("x-amz-security-token", creds.sessionToken());
        }

        // Byte order, as Go's sort.Strings; the request's own headers win over the generated ones.
        TreeMap<String, String> toSign = new TreeMap<>(AwsSigningBuiltins::compareBytes);
        toSign.putAll(awsHeaders);
        requestHeaders.forEach((k, v) -> {
            String lower = k.toLowerCase(java.util.Locale.ROOT);
            if (!UNSIGNED_HEADERS.contains(lower)) {
                toSign.put(lower, v);
            }
        });

        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n').append(url.escapedPath()).append('\n').append(url.rawQuery()).append('\n');
        toSign.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
        canonical.append('\n');
        String signedHeaderList = String.join(";", toSign.keySet());
        canonical.append(signedHeaderList).append('\n').append(payloadHash);

        String scope = day + "/" + creds.region() + "/" + creds.service() + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + creds.secretKey()).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, creds.region());
        key = hmac(key, creds.service());
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));

        Map<String, String> out = new LinkedHashMap<>();
        out.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + creds.accessKey() + "/" + scope
                + ",SignedHeaders=" + signedHeaderList + ",Signature=" + signature);
        out.putAll(awsHeaders);
        return out;
    }

    private static void checkConfig(ObjectValue config) throws BuiltinException {
        List<Value> missing = new ArrayList<>();
        List<Value> notStrings = new ArrayList<>();
        for (String key : REQUIRED_CONFIG) {
            Value v = config.get(key);
            if (v == null) {
                missing.add(StringValue.of(key));
            } else if (!(v instanceof StringValue)) {
                notStrings.add(StringValue.of(key));
            }
        }
        if (!missing.isEmpty()) {
            throw BuiltinException.error("operand 2 missing required AWS config parameters(s): " + SetValue.of(missing));
        }
        if (!notStrings.isEmpty()) {
            throw BuiltinException.error("operand 2 invalid values for required AWS config parameters(s): " + SetValue.of(notStrings));
        }
    }

    /** http.send's request validation, which OPA applies to the request before signing. */
    private static void checkRequest(ObjectValue request) throws BuiltinException {
        List<Value> unknown = new ArrayList<>();
        for (Value k : request.keySet()) {
            if (!(k instanceof StringValue s) || !HTTP_REQUEST_KEYS.contains(s.value())) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw BuiltinException.error("operand 1 invalid request parameters(s): " + SetValue.of(unknown));
        }
        List<Value> missing = new ArrayList<>();
        for (String key : List.of("method", "url")) {
            if (request.get(key) == null) {
                missing.add(StringValue.of(key));
            }
        }
        if (!missing.isEmpty()) {
            throw BuiltinException.error("operand 1 missing required request parameters(s): " + SetValue.of(missing));
        }
    }

    private static Instant instant(NumberValue time) throws BuiltinException {
        BigDecimal d = time.decimal();
        BigInteger nanos;
        try {
            nanos = d.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw BuiltinException.error("operand 3 could not convert time_ns value into a unix timestamp");
        }
        if (nanos.bitLength() > 63) {
            throw BuiltinException.error("operand 3 could not convert time_ns value into a unix timestamp");
        }
        BigInteger[] secondsAndNanos = nanos.divideAndRemainder(NANOS_PER_SECOND);
        return Instant.ofEpochSecond(secondsAndNanos[0].longValue(), secondsAndNanos[1].longValue());
    }

    /** Go's stringFromTerm: the string, or "" for anything else. */
    private static String text(Value v) {
        return v instanceof StringValue s ? s.value() : "";
    }

    private static int compareBytes(String x, String y) {
        byte[] a = x.getBytes(StandardCharsets.UTF_8);
        byte[] b = y.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(a, b);
    }

    private static byte[] sha256(byte[] data) throws BuiltinException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error("SHA-256 unavailable");
        }
    }

    private static byte[] hmac(byte[] key, String message) throws BuiltinException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error("HmacSHA256 unavailable");
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
