package dev.gatehouse.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour of the builtin families beyond what OPA's conformance cases cover. */
class BuiltinFamiliesTest {

    private static final BuiltinContext CONTEXT = new BuiltinContext() {
        private final Map<Object, Object> cache = new HashMap<>();

        @Override
        public long nowNanos() {
            return 1_700_000_000_000_000_000L;
        }

        @Override
        public void print(String line) {
        }

        @Override
        public void charge(long steps) {
        }

        @Override
        public Map<Object, Object> queryCache() {
            return cache;
        }
    };

    private final BuiltinRegistry registry = BuiltinRegistry.standard();

    private Value call(String name, Value... args) throws BuiltinException {
        return registry.lookup(name).function().apply(args, CONTEXT);
    }

    private static Value json(String text) {
        return ValueJson.parse(text);
    }

    private static Value s(String text) {
        return StringValue.of(text);
    }

    @Test
    void sprintfFollowsGoVerbsAndReportsBadOnes() throws Exception {
        assertThat(call("sprintf", s("%d|%5.2f|%x|%q|%v|%s"), json("[42, 3.14159, 255, \"a\\\"b\", [1, \"x\"], \"str\"]")))
                .isEqualTo(s("42| 3.14|ff|\"a\\\"b\"|[1, \"x\"]|str"));
        assertThat(call("sprintf", s("%d %d"), json("[\"a\"]"))).isEqualTo(s("%!d(string=a) %!d(MISSING)"));
        assertThat(call("sprintf", s("%v"), json("[1234567.5]"))).isEqualTo(s("1.2345675e+06"));
        assertThat(call("sprintf", s("x"), json("[1]"))).isEqualTo(s("x%!(EXTRA int=1)"));
    }

    @Test
    void replaceNPrefersTheFirstPatternInKeyOrderAtEachPosition() throws Exception {
        assertThat(call("strings.replace_n", json("{\"a\": \"1\", \"ab\": \"2\"}"), s("abab"))).isEqualTo(s("1b1b"));
        assertThat(call("replace", s("abc"), s(""), s("-"))).isEqualTo(s("-a-b-c-"));
    }

    @Test
    void trimSpaceUsesGoWhiteSpace() throws Exception {
        assertThat(call("trim_space", s("\u00a0\u2003 x \u0085"))).isEqualTo(s("x"));
    }

    @Test
    void globMatchHonoursDelimiters() throws Exception {
        assertThat(call("glob.match", s("*.example.com"), ArrayValue.EMPTY, s("a.example.com"))).isEqualTo(Value.of(true));
        assertThat(call("glob.match", s("*.example.com"), ArrayValue.EMPTY, s("a.b.example.com"))).isEqualTo(Value.of(false));
        assertThat(call("glob.match", s("*.example.com"), NullValue.NULL, s("a.b.example.com"))).isEqualTo(Value.of(true));
        assertThat(call("glob.match", s("**.example.com"), ArrayValue.EMPTY, s("a.b.example.com"))).isEqualTo(Value.of(true));
        assertThat(call("glob.match", s("registry/{team,infra}/*"), json("[\"/\"]"), s("registry/infra/app"))).isEqualTo(Value.of(true));
        assertThat(call("glob.match", s("[!a-c]?"), NullValue.NULL, s("dx"))).isEqualTo(Value.of(true));
    }

    @Test
    void regexUsesRe2SyntaxAndGoReplacement() throws Exception {
        assertThat(call("regex.replace", s("a1b22"), s("(?P<d>[0-9]+)"), s("<${d}>"))).isEqualTo(s("a<1>b<22>"));
        assertThat(call("regex.find_n", s("a*"), s("baaab"), Value.of(-1))).isEqualTo(json("[\"\", \"aaa\", \"\"]"));
        assertThat(call("regex.is_valid", s("(?<=x)y"))).isEqualTo(Value.of(false));
        assertThatThrownBy(() -> call("regex.match", s("("), s("x"))).hasMessageContaining("missing closing )");
    }

    @Test
    void jsonMarshalEscapesLikeGo() throws Exception {
        assertThat(call("json.marshal", json("{\"b\": \"<&>\", \"a\": [1, 2.5]}"))).isEqualTo(s("{\"a\":[1,2.5],\"b\":\"\\u003c\\u0026\\u003e\"}"));
        assertThat(call("json.marshal_with_options", json("{\"a\": [1]}"), json("{\"indent\": \"  \"}")))
                .isEqualTo(s("{\n  \"a\": [\n    1\n  ]\n}"));
    }

    @Test
    void jsonPatchIsUndefinedWhenAPathIsMissing() throws Exception {
        assertThat(call("json.patch", json("{\"a\": [1, 2]}"), json("[{\"op\": \"add\", \"path\": \"/a/-\", \"value\": 3}]")))
                .isEqualTo(json("{\"a\": [1, 2, 3]}"));
        assertThat(call("json.patch", json("{}"), json("[{\"op\": \"remove\", \"path\": \"/x\"}]"))).isNull();
    }

    @Test
    void timeParsesGoLayoutsAndFormatsInZones() throws Exception {
        assertThat(call("time.parse_ns", s("2006-01-02 15:04:05 -0700"), s("2020-03-01 10:00:00 +0200")))
                .isEqualTo(NumberValue.of(1_583_049_600_000_000_000L));
        assertThat(call("time.parse_rfc3339_ns", s("1970-01-01T00:00:01.5Z"))).isEqualTo(NumberValue.of(1_500_000_000L));
        assertThat(call("time.format", json("[0, \"America/New_York\", \"Mon Jan _2 15:04:05 MST 2006\"]")))
                .isEqualTo(s("Wed Dec 31 19:00:00 EST 1969"));
        assertThat(call("time.parse_duration_ns", s("1h1.5s"))).isEqualTo(NumberValue.of(3_601_500_000_000L));
        assertThat(call("time.add_date", Value.of(0), Value.of(0), Value.of(1), Value.of(30)))
                .isEqualTo(call("time.parse_rfc3339_ns", s("1970-03-03T00:00:00Z")));
        assertThatThrownBy(() -> call("time.parse_ns", s("2006-01-02"), s("2020-13-01"))).hasMessageContaining("month out of range");
    }

    @Test
    void cidrMergeCoalescesAdjacentPrefixes() throws Exception {
        assertThat(call("net.cidr_merge", json("[\"10.0.0.0/25\", \"10.0.0.128/25\", \"10.0.1.7\", \"2001:db8::/33\", \"2001:db8:8000::/33\"]")))
                .isEqualTo(SetValue.of(s("10.0.0.0/24"), s("10.0.1.7/32"), s("2001:db8::/32")));
        assertThat(call("net.cidr_contains_matches", json("{\"lan\": \"192.168.0.0/16\"}"), json("[\"192.168.1.1\", \"10.0.0.1\"]")))
                .isEqualTo(SetValue.of(ArrayValue.of(s("lan"), Value.of(0))));
        assertThat(call("net.cidr_expand", s("10.0.0.0/31"))).isEqualTo(SetValue.of(s("10.0.0.0"), s("10.0.0.1")));
    }

    @Test
    void semverComparesPrereleasesBySemVerRules() throws Exception {
        assertThat(call("semver.compare", s("1.0.0-alpha.2"), s("1.0.0-alpha.10"))).isEqualTo(Value.of(-1));
        assertThat(call("semver.compare", s("1.0.0"), s("1.0.0-rc.1"))).isEqualTo(Value.of(1));
        assertThat(call("semver.compare", s("1.0.0+build.1"), s("1.0.0"))).isEqualTo(Value.of(0));
    }

    @Test
    void encodingsDecodeStrictly() throws Exception {
        assertThat(call("base64url.decode", s("aGk"))).isEqualTo(s("hi"));
        assertThat(call("base64.is_valid", s("aGk"))).isEqualTo(Value.of(false));
        assertThat(call("urlquery.encode_object", json("{\"b\": [\"x y\", \"&\"], \"a\": \"1\"}"))).isEqualTo(s("a=1&b=x+y&b=%26"));
        assertThatThrownBy(() -> call("hex.decode", s("zz"))).hasMessageContaining("invalid byte");
    }

    @Test
    void objectUnionMergesNestedObjectsAndRightWins() throws Exception {
        assertThat(call("object.union", json("{\"a\": {\"x\": 1, \"y\": 1}, \"b\": 1}"), json("{\"a\": {\"y\": 2}, \"b\": {\"z\": 1}}")))
                .isEqualTo(json("{\"a\": {\"x\": 1, \"y\": 2}, \"b\": {\"z\": 1}}"));
        assertThat(call("object.get", json("{\"a\": [{\"b\": 1}]}"), json("[\"a\", 0, \"b\"]"), Value.of(0))).isEqualTo(Value.of(1));
    }

    @Test
    void graphReachableFollowsEdgesFromKnownNodes() throws Exception {
        ObjectValue graph = (ObjectValue) json("{\"a\": [\"b\"], \"b\": [\"c\"], \"c\": [], \"d\": [\"a\"]}");
        assertThat(call("graph.reachable", graph, json("[\"a\"]"))).isEqualTo(SetValue.of(s("a"), s("b"), s("c")));
    }

    @Test
    void uuidRfc4122IsAVersion4Uuid() throws Exception {
        Value u = call("uuid.rfc4122", s("seed"));
        assertThat(((StringValue) u).value()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(call("uuid.parse", u)).isEqualTo(json("{\"version\": 4, \"variant\": \"RFC4122\"}"));
    }

    @Test
    void networkBuiltinsAreRegisteredButRefused() {
        assertThatThrownBy(() -> call("http.send", json("{}"))).hasMessageContaining("not supported");
    }

    private static String hs256(String header, String payload, String secret) throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(header.getBytes()) + "." + b64.encodeToString(payload.getBytes());
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(), "HmacSHA256"));
        return input + "." + b64.encodeToString(mac.doFinal(input.getBytes()));
    }

    @Test
    void decodeVerifyChecksSignatureAlgorithmExpiryIssuerAndAudience() throws Exception {
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        String token = hs256(header, "{\"iss\":\"gatehouse\",\"aud\":\"cluster\",\"exp\":1700000100}", "s3cret");
        Value ok = call("io.jwt.decode_verify", s(token), json("{\"secret\":\"s3cret\",\"iss\":\"gatehouse\",\"aud\":\"cluster\"}"));
        assertThat(((ArrayValue) ok).elements().get(0)).isEqualTo(json("true"));
        assertThat(((ArrayValue) ok).elements().get(2)).isEqualTo(json("{\"iss\":\"gatehouse\",\"aud\":\"cluster\",\"exp\":1700000100}"));

        Value invalid = json("[false, {}, {}]");
        assertThat(call("io.jwt.decode_verify", s(token), json("{\"secret\":\"wrong\",\"aud\":\"cluster\"}"))).isEqualTo(invalid);
        assertThat(call("io.jwt.decode_verify", s(token), json("{\"secret\":\"s3cret\"}"))).as("aud in token, none asked").isEqualTo(invalid);
        assertThat(call("io.jwt.decode_verify", s(token), json("{\"secret\":\"s3cret\",\"aud\":\"cluster\",\"alg\":\"RS256\"}"))).isEqualTo(invalid);
        assertThat(call("io.jwt.decode_verify", s(token), json("{\"secret\":\"s3cret\",\"aud\":\"cluster\",\"iss\":\"other\"}"))).isEqualTo(invalid);
        assertThat(call("io.jwt.decode_verify", s(token), json("{\"secret\":\"s3cret\",\"aud\":\"cluster\",\"time\":1700000200000000000}")))
                .as("expired").isEqualTo(invalid);
        assertThatThrownBy(() -> call("io.jwt.decode_verify", s(token), json("{\"secret\":\"s3cret\",\"audience\":\"x\"}")))
                .hasMessageContaining("unknown token validation constraint: audience");
    }

    /** RFC 7515 appendix A.1: the HMAC key, and the signature OPA gives for its sorted-key header and payload. */
    private static final String RFC7515_OCT = "{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}";

    @Test
    void encodeSignRawSignsTheTextsAsGivenWithAJwk() throws Exception {
        Value token = call("io.jwt.encode_sign_raw", s("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"),
                s("{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"), s(RFC7515_OCT));
        assertThat(token).isEqualTo(s("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGF"
                + "tcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assertThat(call("io.jwt.encode_sign_raw", s("{\"typ\":\"text/plain\",\"alg\":\"HS256\"}"), s("e"), s(RFC7515_OCT)).toString())
                .as("a non-JWT type may sign any payload").contains(".ZQ.");
        assertThatThrownBy(() -> call("io.jwt.encode_sign_raw", s("{\"alg\":\"HS256\"}"), s("e"), s(RFC7515_OCT)))
                .hasMessageContaining("type is JWT but payload is not JSON");
        assertThatThrownBy(() -> call("io.jwt.encode_sign_raw", s("{\"alg\":\"RS256\"}"), s("{}"), s(RFC7515_OCT)))
                .isInstanceOf(BuiltinException.class).hasMessageContaining("failed to sign with RS256: an oct key has no private key");
    }

    @Test
    void encodeSignMarshalsLikeGoAndEveryAlgorithmVerifies() throws Exception {
        Value header = json("{\"typ\":\"JWT\",\"alg\":\"HS256\"}");
        Value token = call("io.jwt.encode_sign", header, json("{\"iss\":\"joe\",\"aud\":[\"a\"]}"), json(RFC7515_OCT));
        assertThat(((StringValue) token).value()).startsWith("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.").as("keys sorted as Go marshals them");

        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        java.security.KeyPair rsaPair = rsa.generateKeyPair();
        var rsaPrivate = (java.security.interfaces.RSAPrivateCrtKey) rsaPair.getPrivate();
        String rsaJwk = "{\"kty\":\"RSA\",\"n\":\"" + b64(rsaPrivate.getModulus()) + "\",\"e\":\"" + b64(rsaPrivate.getPublicExponent())
                + "\",\"d\":\"" + b64(rsaPrivate.getPrivateExponent()) + "\"}";
        String rsaPem = pem(rsaPair.getPublic());
        for (String alg : new String[] {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}) {
            Value signed = call("io.jwt.encode_sign", json("{\"alg\":\"" + alg + "\"}"), json("{\"sub\":\"x\"}"), json(rsaJwk));
            assertThat(call("io.jwt.verify_" + alg.toLowerCase(), signed, s(rsaPem))).as(alg).isEqualTo(json("true"));
        }

        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair ecPair = ec.generateKeyPair();
        var ecPublic = (java.security.interfaces.ECPublicKey) ecPair.getPublic();
        String ecJwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + b64(ecPublic.getW().getAffineX()) + "\",\"y\":\""
                + b64(ecPublic.getW().getAffineY()) + "\",\"d\":\"" + b64(((java.security.interfaces.ECPrivateKey) ecPair.getPrivate()).getS()) + "\"}";
        Value es = call("io.jwt.encode_sign", json("{\"alg\":\"ES256\"}"), json("{\"sub\":\"x\"}"), json(ecJwk));
        assertThat(call("io.jwt.verify_es256", es, s(pem(ecPublic)))).isEqualTo(json("true"));
        assertThat(call("io.jwt.verify_es256", es, s("{\"keys\":[" + ecJwk + "]}"))).as("a JWK set verifies too").isEqualTo(json("true"));

        java.security.KeyPair ed = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = ed.getPublic().getEncoded();
        byte[] pkcs8 = ed.getPrivate().getEncoded();
        String edJwk = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + b64(java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length))
                + "\",\"d\":\"" + b64(java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)) + "\"}";
        Value eddsa = call("io.jwt.encode_sign", json("{\"alg\":\"EdDSA\"}"), json("{\"sub\":\"x\"}"), json(edJwk));
        assertThat(call("io.jwt.verify_eddsa", eddsa, s(pem(ed.getPublic())))).isEqualTo(json("true"));
        assertThat(call("io.jwt.verify_eddsa", eddsa, s(edJwk))).isEqualTo(json("true"));
        assertThat(((ArrayValue) call("io.jwt.decode_verify", eddsa, json("{\"cert\":" + ValueJson.write(s(pem(ed.getPublic()))) + "}")))
                .elements().get(0)).isEqualTo(json("true"));
        assertThat(call("io.jwt.verify_eddsa", eddsa, s(pem(java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()))))
                .as("another key").isEqualTo(json("false"));
    }

    @Test
    void decodeVerifyRejectsATimeClaimThatIsNotANumber() throws Exception {
        Value token = call("io.jwt.encode_sign", json("{\"alg\":\"HS256\"}"), json("{\"exp\":null}"), json("{\"kty\":\"oct\",\"k\":\"NDI\"}"));
        assertThatThrownBy(() -> call("io.jwt.decode_verify", token, json("{\"secret\":\"42\"}"))).hasMessageContaining("exp value must be a number");
    }

    @Test
    void privateKeysParseToJwksFromPemOrBase64Pem() throws Exception {
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        var rsaKey = (java.security.interfaces.RSAPrivateCrtKey) rsa.generateKeyPair().getPrivate();
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        java.security.KeyPair ecPair = ec.generateKeyPair();
        var ecPublic = (java.security.interfaces.ECPublicKey) ecPair.getPublic();
        String pem = privatePem(rsaKey) + privatePem(ecPair.getPrivate());

        Value keys = call("crypto.parse_private_keys", s(java.util.Base64.getEncoder().encodeToString(pem.getBytes())));
        ObjectValue rsaJwk = (ObjectValue) ((ArrayValue) keys).elements().get(0);
        assertThat(rsaJwk.get("kty")).isEqualTo(s("RSA"));
        assertThat(rsaJwk.get("n")).isEqualTo(s(b64(rsaKey.getModulus())));
        assertThat(rsaJwk.get("qi")).isEqualTo(s(b64(rsaKey.getCrtCoefficient())));
        ObjectValue ecJwk = (ObjectValue) ((ArrayValue) keys).elements().get(1);
        assertThat(ecJwk.get("crv")).isEqualTo(s("P-384"));
        assertThat(ecJwk.get("x")).as("public point derived from d").isEqualTo(s(b64(fixed(ecPublic.getW().getAffineX(), 48))));
        assertThat(ecJwk.get("y")).isEqualTo(s(b64(fixed(ecPublic.getW().getAffineY(), 48))));

        assertThat(call("crypto.x509.parse_rsa_private_key", s(privatePem(rsaKey)))).isEqualTo(rsaJwk);
        assertThat(call("crypto.parse_private_keys", s(""))).isEqualTo(json("[]"));
        assertThatThrownBy(() -> call("crypto.x509.parse_rsa_private_key", s("invalid"))).hasMessageContaining("illegal base64");
        assertThatThrownBy(() -> call("crypto.x509.parse_rsa_private_key", s(privatePem(ecPair.getPrivate()))))
                .hasMessageContaining("not an RSA private key");
    }

    @Test
    void pemBlocksPairEachBeginWithTheNextEndOfItsTypeAcrossManyUnclosedBlocks() throws Exception {
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        String key = privatePem(ec.generateKeyPair().getPrivate());
        String unclosed = "-----BEGIN A-----".repeat(200_000);
        String noise = "-----BEGIN PRIVATE KEY---- x\n-----END OTHER-----\n";
        Value keys = call("crypto.parse_private_keys", s(unclosed + noise + key + "-----BEGIN PRIVATE KEY-----\n" + unclosed));
        assertThat(((ArrayValue) keys).elements()).hasSize(1);
        assertThat(((ObjectValue) ((ArrayValue) keys).elements().get(0)).get("crv")).isEqualTo(s("P-256"));
    }

    private static byte[] fixed(java.math.BigInteger n, int size) {
        byte[] bytes = n.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(bytes.length, size);
        System.arraycopy(bytes, bytes.length - copy, out, size - copy, copy);
        return out;
    }

    private static String privatePem(java.security.PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void renderTemplateFollowsGoTextTemplate() throws Exception {
        Value vars = json("{\"names\": [\"ana\", \"bo\"], \"n\": 3, \"m\": {\"z\": 1, \"y\": \"s\"}, \"a\": {\"b\": \"x\"}}");
        assertThat(call("strings.render_template", s("{{range $i, $x := .names}}{{if $i}},{{end}}hi {{$x}}{{end}}"), vars))
                .isEqualTo(s("hi ana,hi bo"));
        assertThat(call("strings.render_template", s("{{ if eq .n 2 }}two{{ else if gt .n 2 }}big{{ else }}small{{ end }}"), vars))
                .isEqualTo(s("big"));
        assertThat(call("strings.render_template", s("{{- with .a -}} {{ .b }} {{- end }}|{{ len .names }}|{{ index .names 1 }}"), vars))
                .isEqualTo(s("x|2|bo"));
        assertThat(call("strings.render_template", s("{{ range $k, $v := .m }}{{$k}}={{$v}};{{ end }}{{ .m }} {{ .names }}"), vars))
                .as("maps in key order, printed as Go prints them").isEqualTo(s("y=s;z=1;map[y:s z:1] [ana bo]"));
        assertThat(call("strings.render_template", s("{{.missing}} {{.n}}"), vars)).isEqualTo(s("<undefined> 3"));
        assertThatThrownBy(() -> call("strings.render_template", s("{{if .n}}open"), vars)).hasMessageContaining("missing {{end}}");
        assertThatThrownBy(() -> call("strings.render_template", s("{{ printf \"%d\" .n }}"), vars)).hasMessageContaining("not defined");
        assertThatThrownBy(() -> call("strings.render_template", s("{{ index .names 4294967296 }}"), vars))
                .hasMessageContaining("index out of range: 4294967296");
    }

    @Test
    void malformedKeysAndTemplatesAreBuiltinErrorsNotCrashes() throws Exception {
        String token = "eyJhbGciOiJFZERTQSJ9.e30.AAAA";
        assertThatThrownBy(() -> call("io.jwt.verify_eddsa", s(token), s("{\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"x\": \"\"}")))
                .isInstanceOf(BuiltinException.class).hasMessageContaining("failed to parse JWK");
        assertThatThrownBy(() -> call("crypto.x509.parse_rsa_private_key",
                s("-----BEGIN EC PRIVATE KEY-----\nMAGg\n-----END EC PRIVATE KEY-----\n")))
                .isInstanceOf(BuiltinException.class).hasMessageContaining("failed to parse EC PRIVATE KEY");
        Value vars = json("{}");
        assertThatThrownBy(() -> call("strings.render_template", s("{{ \"\\q\" }}"), vars))
                .isInstanceOf(BuiltinException.class).hasMessageContaining("template:");
        String deep = "{{if true}}".repeat(100_000) + "{{end}}".repeat(100_000);
        assertThatThrownBy(() -> call("strings.render_template", s(deep), vars))
                .isInstanceOf(BuiltinException.class).hasMessageContaining("nested deeper than");
    }

    private static String b64(java.math.BigInteger n) {
        byte[] bytes = n.toByteArray();
        return b64(bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    private static String b64(byte[] bytes) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void matchSchemaReportsGoJsonSchemaErrorsWithFieldPaths() throws Exception {
        Value schema = json("""
                {"type": "object", "required": ["name", "spec"], "additionalProperties": false,
                 "properties": {"name": {"type": "string", "minLength": 3},
                                "spec": {"type": "object", "properties": {"replicas": {"type": "integer", "maximum": 5}}}}}""");
        assertThat(call("json.match_schema", json("{\"name\": \"web\", \"spec\": {\"replicas\": 2}}"), schema))
                .isEqualTo(json("[true, []]"));
        Value result = call("json.match_schema", json("{\"name\": \"w\", \"spec\": {\"replicas\": 9}, \"x\": 1}"), schema);
        assertThat(((ArrayValue) result).elements().get(0)).isEqualTo(json("false"));
        assertThat(((ArrayValue) ((ArrayValue) result).elements().get(1)).elements()).containsExactlyInAnyOrderElementsOf(
                ((ArrayValue) json("""
                [{"error": "(root): Additional property x is not allowed", "type": "additional_property_not_allowed", "field": "(root)", "desc": "Additional property x is not allowed"},
                 {"error": "name: String length must be greater than or equal to 3", "type": "string_gte", "field": "name", "desc": "String length must be greater than or equal to 3"},
                 {"error": "spec.replicas: Must be less than or equal to 5", "type": "number_lte", "field": "spec.replicas", "desc": "Must be less than or equal to 5"}]""")).elements());
        assertThat(result.toString()).contains("Additional property x is not allowed").contains("spec.replicas")
                .contains("String length must be greater than or equal to 3");
        assertThat(call("json.match_schema", json("{}"), schema).toString()).contains("name is required").contains("spec is required");
    }

    @Test
    void verifySchemaNamesWhatIsWrongWithASchema() throws Exception {
        assertThat(call("json.verify_schema", json("{\"type\": \"object\"}"))).isEqualTo(json("[true, null]"));
        assertThat(call("json.verify_schema", json("{\"type\": \"objekt\"}")).toString()).contains("NOT VALID -- given: /objekt/");
        assertThat(call("json.verify_schema", s("{\"required\": \"name\"}")).toString()).contains("array of strings");
        assertThatThrownBy(() -> call("json.match_schema", json("{}"), json("{\"type\": \"objekt\"}")))
                .hasMessageContaining("NOT VALID");
    }

    @Test
    void cidrMergeTakesBareIpv4AsSlash32ButWantsAPrefixOnIpv6() throws Exception {
        assertThat(call("net.cidr_merge", json("[\"10.0.0.7\", \"2001:db8::1/128\"]")))
                .isEqualTo(SetValue.of(s("10.0.0.7/32"), s("2001:db8::1/128")));
        assertThatThrownBy(() -> call("net.cidr_merge", json("[\"2001:db8::1\"]")))
                .isInstanceOf(BuiltinException.class).hasMessage("IPv6 invalid: needs prefix length");
    }

    @Test
    void arrayFlattenUnwrapsOneLevelAndKeepsOtherElements() throws Exception {
        assertThat(call("array.flatten", json("[[1, 2], \"s\", [[3], []], {\"a\": [4]}]")))
                .isEqualTo(json("[1, 2, \"s\", [3], [], {\"a\": [4]}]"));
        assertThatThrownBy(() -> call("array.flatten", json("42")))
                .isInstanceOf(BuiltinException.class).hasMessage("operand 1 must be array but got number");
    }

    @Test
    void toNumberRefusesFloatSpecialsAsATypeError() {
        for (String special : new String[] {"nan", "-NaN", "inf", "+Inf", "-Infinity"}) {
            assertThatThrownBy(() -> call("to_number", s(special))).isInstanceOfSatisfying(BuiltinException.class, e -> {
                assertThat(e.code()).isEqualTo(BuiltinException.Code.TYPE);
                assertThat(e).hasMessage("operand 1 must be valid number string but got string");
            });
        }
    }
}
