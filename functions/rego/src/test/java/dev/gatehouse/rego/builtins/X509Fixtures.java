package dev.gatehouse.rego.builtins;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made in the test: a CA hierarchy of P-256 keys with the extensions a case asks for. */
final class X509Fixtures {

    static final Instant NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant NOT_AFTER = Instant.parse("2035-01-01T00:00:00Z");
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private X509Fixtures() {
    }

    /** One issued certificate and its key. */
    record Issued(X509CertificateHolder cert, KeyPair key, String name) {
        String pem() throws Exception {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(out)) {
                w.writeObject(cert);
            }
            return out.toString();
        }
    }

    /** What to put into one certificate. */
    record Spec(String commonName, Boolean ca, Integer pathLen, KeyPurposeId[] ekus, GeneralName[] sans, Instant notBefore, Instant notAfter) {
        static Spec ca(String cn) {
            return new Spec(cn, true, null, null, null, NOT_BEFORE, NOT_AFTER);
        }

        static Spec leaf(String cn, KeyPurposeId... ekus) {
            return new Spec(cn, null, null, ekus.length == 0 ? null : ekus, null, NOT_BEFORE, NOT_AFTER);
        }

        Spec withSans(GeneralName... names) {
            return new Spec(commonName, ca, pathLen, ekus, names, notBefore, notAfter);
        }

        Spec notCa() {
            return new Spec(commonName, false, pathLen, ekus, sans, notBefore, notAfter);
        }

        Spec validUntil(Instant end) {
            return new Spec(commonName, ca, pathLen, ekus, sans, notBefore, end);
        }
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static Issued selfSigned(Spec spec) throws Exception {
        KeyPair key = ecKey();
        return issue(spec, key, null);
    }

    static Issued issue(Spec spec, Issued issuer) throws Exception {
        return issue(spec, ecKey(), issuer);
    }

    private static Issued issue(Spec spec, KeyPair key, Issued issuer) throws Exception {
        X500Name subject = new X500Name("CN=" + spec.commonName() + ",O=Gatehouse Test");
        X500Name issuerName = issuer == null ? subject : issuer.cert().getSubject();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(spec.notBefore()), Date.from(spec.notAfter()), subject, key.getPublic());
        if (spec.ca() != null) {
            b.addExtension(Extension.basicConstraints, true, spec.ca()
                    ? (spec.pathLen() == null ? new BasicConstraints(true) : new BasicConstraints(spec.pathLen()))
                    : new BasicConstraints(false));
        }
        if (Boolean.TRUE.equals(spec.ca())) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        }
        if (spec.ekus() != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(spec.ekus()));
        }
        if (spec.sans() != null) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(spec.sans()));
        }
        KeyPair signer = issuer == null ? key : issuer.key();
        X509CertificateHolder cert = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
        return new Issued(cert, key, spec.commonName());
    }
}
