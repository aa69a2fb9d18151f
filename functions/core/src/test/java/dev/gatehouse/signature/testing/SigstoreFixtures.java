package dev.gatehouse.signature.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-contained Sigstore: a Fulcio-like CA (root and intermediate) that issues short-lived
 * certificates with an embedded SCT from a test CT log, a Rekor-like log key that signs entry
 * timestamps and checkpoints, and writers for trusted_root.json, bundles and cosign Rekor
 * bundles. Tests verify and tamper with these without any oracle or network.
 */
public final class SigstoreFixtures {

    public static final String ISSUER = "https://issuer.gatehouse.test";
    public static final String SUBJECT = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";
    public static final String REKOR_URL = "https://rekor.gatehouse.test";
    private static final String SCT_OID = "1.3.6.1.4.1.11129.2.4.2";
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    public final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    public final KeyPair rootKey = ec("secp384r1");
    public final KeyPair intermediateKey = ec("secp384r1");
    public final KeyPair ctKey = ec("secp256r1");
    public final KeyPair rekorKey = ec("secp256r1");
    public final X509Certificate root;
    public final X509Certificate intermediate;

    public SigstoreFixtures() {
        Instant from = now.minus(365, ChronoUnit.DAYS);
        Instant to = now.plus(365, ChronoUnit.DAYS);
        root = ca(new X500Name("O=gatehouse.test, CN=test-fulcio-root"), rootKey, null, null, from, to);
        intermediate = ca(new X500Name("O=gatehouse.test, CN=test-fulcio-intermediate"), intermediateKey, root, rootKey.getPrivate(), from, to);
    }

    /** A fresh key: "P-256", "P-384", "RSA" or "Ed25519". */
    public static KeyPair key(String kind) {
        try {
            return switch (kind) {
                case "P-256" -> ec("secp256r1");
                case "P-384" -> ec("secp384r1");
                case "RSA" -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    yield g.generateKeyPair();
                }
                case "Ed25519" -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                default -> throw new IllegalArgumentException(kind);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs {@code data} the way cosign and Sigstore clients do for this key type. */
    public static byte[] sign(PrivateKey key, byte[] data) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> ((java.security.interfaces.ECPrivateKey) key).getParams().getCurve().getField().getFieldSize() > 256
                    ? "SHA384withECDSA" : "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
        };
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Fulcio-like leaf for {@code signer}: SAN {@code subject} (URI or e-mail), issuer extension, an embedded SCT. */
    public X509Certificate issue(PublicKey signer, String subject, String issuer) {
        return issue(signer, subject, issuer, Map.of());
    }

    /** The same, with more Fulcio extensions (OID to UTF-8 string value), such as the GitHub workflow claims. */
    public X509Certificate issue(PublicKey signer, String subject, String issuer, Map<String, String> extensions) {
        try {
            BigInteger serial = BigInteger.valueOf(SERIALS.incrementAndGet());
            Date from = Date.from(now.minus(5, ChronoUnit.MINUTES));
            Date to = Date.from(now.plus(5, ChronoUnit.MINUTES));
            X509Certificate precert = convert(leafBuilder(serial, from, to, signer, subject, issuer, extensions)
                    .build(signer(intermediateKey.getPrivate())));
            byte[] tbs = precertTbs(precert);
            byte[] sctList = sctList(tbs);
            X509v3CertificateBuilder builder = leafBuilder(serial, from, to, signer, subject, issuer, extensions);
            builder.addExtension(new ASN1ObjectIdentifier(SCT_OID), false, new DEROctetString(sctList));
            return convert(builder.build(signer(intermediateKey.getPrivate())));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509v3CertificateBuilder leafBuilder(BigInteger serial, Date from, Date to, PublicKey key, String subject,
            String issuer, Map<String, String> extensions) throws IOException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(intermediate, serial, from, to, new X500Name(new org.bouncycastle.asn1.x500.RDN[0]), key);
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        b.addExtension(Extension.subjectAlternativeName, true,
                new GeneralNames(new GeneralName(isEmail(subject) ? GeneralName.rfc822Name : GeneralName.uniformResourceIdentifier,
                        subject)));
        b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.8"), false, new DERUTF8String(issuer));
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            b.addExtension(new ASN1ObjectIdentifier(e.getKey()), false, new DERUTF8String(e.getValue()));
        }
        return b;
    }

    /** Fulcio puts e-mail identities (OIDC providers with verified e-mail) in an rfc822Name SAN, the rest in a URI. */
    private static boolean isEmail(String subject) {
        return subject.contains("@") && !subject.contains(":");
    }

    /** The TBS the CT log signs: the final certificate without its SCT extension. */
    private static byte[] precertTbs(X509Certificate precert) throws IOException, GeneralSecurityException {
        TBSCertificate tbs = Certificate.getInstance(precert.getEncoded()).getTBSCertificate();
        V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
        g.setSerialNumber(tbs.getSerialNumber());
        g.setSignature(tbs.getSignature());
        g.setIssuer(tbs.getIssuer());
        g.setStartDate(tbs.getStartDate());
        g.setEndDate(tbs.getEndDate());
        g.setSubject(tbs.getSubject());
        g.setSubjectPublicKeyInfo(tbs.getSubjectPublicKeyInfo());
        g.setIssuerUniqueID((DERBitString) tbs.getIssuerUniqueId());
        g.setSubjectUniqueID((DERBitString) tbs.getSubjectUniqueId());
        g.setExtensions(tbs.getExtensions());
        return g.generateTBSCertificate().getEncoded();
    }

    /** RFC 6962 SignedCertificateTimestampList with one v1 SCT over a precert entry. */
    private byte[] sctList(byte[] tbs) throws IOException {
        long timestamp = now.minus(5, ChronoUnit.MINUTES).toEpochMilli();
        byte[] issuerKeyHash = sha256(intermediate.getPublicKey().getEncoded());
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.write(0);
        signed.write(0);
        signed.writeBytes(uint(timestamp, 8));
        signed.writeBytes(uint(1, 2));
        signed.writeBytes(issuerKeyHash);
        signed.writeBytes(uint(tbs.length, 3));
        signed.writeBytes(tbs);
        signed.writeBytes(uint(0, 2));
        byte[] sig = sign(ctKey.getPrivate(), signed.toByteArray());
        ByteArrayOutputStream sct = new ByteArrayOutputStream();
        sct.write(0);
        sct.writeBytes(sha256(ctKey.getPublic().getEncoded()));
        sct.writeBytes(uint(timestamp, 8));
        sct.writeBytes(uint(0, 2));
        sct.write(4);
        sct.write(3);
        sct.writeBytes(uint(sig.length, 2));
        sct.writeBytes(sig);
        byte[] one = sct.toByteArray();
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        list.writeBytes(uint(one.length + 2, 2));
        list.writeBytes(uint(one.length, 2));
        list.writeBytes(one);
        return list.toByteArray();
    }

    /** trusted_root.json naming this CA, CT log and Rekor log, valid from a day ago. */
    public byte[] trustedRootJson() {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
        root.putArray("tlogs").add(log(REKOR_URL, rekorKey.getPublic()));
        ObjectNode ca = root.putArray("certificateAuthorities").addObject();
        ca.putObject("subject").put("organization", "gatehouse.test").put("commonName", "test-fulcio");
        ca.put("uri", "https://fulcio.gatehouse.test");
        ArrayNode certs = ca.putObject("certChain").putArray("certificates");
        certs.addObject().put("rawBytes", b64(encoded(intermediate)));
        certs.addObject().put("rawBytes", b64(encoded(this.root)));
        ca.putObject("validFor").put("start", now.minus(1, ChronoUnit.DAYS).toString());
        root.putArray("ctlogs").add(log("https://ctfe.gatehouse.test", ctKey.getPublic()));
        root.putArray("timestampAuthorities");
        return json(root);
    }

    public Path writeTrustedRoot(Path dir) throws IOException {
        Path file = dir.resolve("trusted_root.json");
        Files.write(file, trustedRootJson());
        return file;
    }

    private ObjectNode log(String url, PublicKey key) {
        ObjectNode log = UntrustedJson.mapper().createObjectNode();
        log.put("baseUrl", url);
        log.put("hashAlgorithm", "SHA2_256");
        ObjectNode pk = log.putObject("publicKey");
        pk.put("rawBytes", b64(key.getEncoded()));
        pk.put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
        pk.putObject("validFor").put("start", now.minus(1, ChronoUnit.DAYS).toString());
        log.putObject("logId").put("keyId", b64(sha256(key.getEncoded())));
        return log;
    }

    public byte[] logId() {
        return sha256(rekorKey.getPublic().getEncoded());
    }

    /** A hashedrekord 0.0.1 body for a signature over {@code artifact} by {@code signerPem} (certificate or key). */
    public static byte[] hashedRekordBody(byte[] artifact, byte[] signature, String signerPem) {
        ObjectNode body = UntrustedJson.mapper().createObjectNode();
        body.put("apiVersion", "0.0.1");
        body.put("kind", "hashedrekord");
        ObjectNode spec = body.putObject("spec");
        spec.putObject("data").putObject("hash").put("algorithm", "sha256").put("value", HexFormat.of().formatHex(sha256(artifact)));
        ObjectNode sig = spec.putObject("signature");
        sig.put("content", b64(signature));
        sig.putObject("publicKey").put("content", b64(signerPem.getBytes(StandardCharsets.US_ASCII)));
        return json(body);
    }

    /** The SET: the log's signature over the canonical JSON of the entry. */
    public byte[] signedEntryTimestamp(byte[] body, long integratedTime, long logIndex) {
        String signable = "{\"body\":\"" + b64(body) + "\",\"integratedTime\":" + integratedTime + ",\"logID\":\""
                + HexFormat.of().formatHex(logId()) + "\",\"logIndex\":" + logIndex + "}";
        return sign(rekorKey.getPrivate(), signable.getBytes(StandardCharsets.UTF_8));
    }

    /** cosign's {@code dev.sigstore.cosign/bundle} annotation for this entry. */
    public String cosignRekorBundle(byte[] body, long logIndex) {
        long time = now.getEpochSecond();
        ObjectNode bundle = UntrustedJson.mapper().createObjectNode();
        bundle.put("SignedEntryTimestamp", b64(signedEntryTimestamp(body, time, logIndex)));
        ObjectNode payload = bundle.putObject("Payload");
        payload.put("body", b64(body));
        payload.put("integratedTime", time);
        payload.put("logIndex", logIndex);
        payload.put("logID", HexFormat.of().formatHex(logId()));
        return new String(json(bundle), StandardCharsets.UTF_8);
    }

    /**
     * A v0.3 bundle with a message signature over {@code artifact}, logged as leaf 1 of a two-leaf
     * tree with a SET, inclusion proof and signed checkpoint. {@code leaf} null means a managed key.
     */
    public byte[] messageSignatureBundle(byte[] artifact, KeyPair signer, X509Certificate leaf) {
        byte[] signature = sign(signer.getPrivate(), artifact);
        String signerPem = leaf != null ? pem("CERTIFICATE", encoded(leaf)) : pem("PUBLIC KEY", signer.getPublic().getEncoded());
        byte[] body = hashedRekordBody(artifact, signature, signerPem);
        long time = now.getEpochSecond();
        long logIndex = 41;
        byte[] sibling = sha256("another entry".getBytes(StandardCharsets.UTF_8));
        byte[] leafHash = sha256(concat(new byte[] {0}, body));
        byte[] rootHash = sha256(concat(new byte[] {1}, sibling, leafHash));
        String note = "rekor.gatehouse.test - 42\n2\n" + b64(rootHash) + "\n";
        byte[] noteSig = concat(java.util.Arrays.copyOf(logId(), 4), sign(rekorKey.getPrivate(), note.getBytes(StandardCharsets.UTF_8)));
        String checkpoint = note + "\n\u2014 rekor.gatehouse.test " + b64(noteSig) + "\n";

        ObjectNode bundle = UntrustedJson.mapper().createObjectNode();
        bundle.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
        ObjectNode vm = bundle.putObject("verificationMaterial");
        if (leaf != null) {
            vm.putObject("certificate").put("rawBytes", b64(encoded(leaf)));
        } else {
            vm.putObject("publicKey").put("hint", b64(sha256(signer.getPublic().getEncoded())));
        }
        ObjectNode entry = vm.putArray("tlogEntries").addObject();
        entry.put("logIndex", String.valueOf(logIndex));
        entry.putObject("logId").put("keyId", b64(logId()));
        entry.putObject("kindVersion").put("kind", "hashedrekord").put("version", "0.0.1");
        entry.put("integratedTime", String.valueOf(time));
        entry.putObject("inclusionPromise").put("signedEntryTimestamp", b64(signedEntryTimestamp(body, time, logIndex)));
        ObjectNode proof = entry.putObject("inclusionProof");
        proof.put("logIndex", "1");
        proof.put("rootHash", b64(rootHash));
        proof.put("treeSize", "2");
        proof.putArray("hashes").add(b64(sibling));
        proof.putObject("checkpoint").put("envelope", checkpoint);
        entry.put("canonicalizedBody", b64(body));
        ObjectNode ms = bundle.putObject("messageSignature");
        ms.putObject("messageDigest").put("algorithm", "SHA2_256").put("digest", b64(sha256(artifact)));
        ms.put("signature", b64(signature));
        return json(bundle);
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] uint(long value, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = bytes - 1; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }

    private static byte[] json(ObjectNode node) {
        try {
            return UntrustedJson.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate ca(X500Name name, KeyPair key, X509Certificate parent, PrivateKey parentKey, Instant from,
            Instant to) {
        try {
            X509v3CertificateBuilder b = parent == null
                    ? new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(from),
                            Date.from(to), name, key.getPublic())
                    : new JcaX509v3CertificateBuilder(parent, BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(from),
                            Date.from(to), name, key.getPublic());
            b.addExtension(Extension.basicConstraints, true, parent == null ? new BasicConstraints(1) : new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return convert(b.build(signer(parent == null ? key.getPrivate() : parentKey)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA384withECDSA").build(key);
    }

    private static X509Certificate convert(org.bouncycastle.cert.X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }
}
